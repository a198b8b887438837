package dev.agentfactory.rules.model;

import dev.agentfactory.blueprint.OverrideMode;

/** Derived (tier 3): the override mode that decides this action (LLMDecision falls back to RiskBased without an LLM). */
public record EffectiveMode(OverrideMode mode) {
}
