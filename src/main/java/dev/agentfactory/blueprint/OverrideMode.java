package dev.agentfactory.blueprint;

/** Who decides whether a proposed action needs a human. */
public enum OverrideMode {
    AlwaysAsk, NeverAsk, LLMDecision, RiskBased
}
