package dev.agentfactory.rules.model;

import dev.agentfactory.blueprint.AccessLevel;
import dev.agentfactory.blueprint.ActionScope;
import dev.agentfactory.blueprint.OverrideMode;

/**
 * Derived by a compiled agent's policy rule (rules/templates/agent-policy.drt): the blueprint
 * version's thresholds, scope cap, override mode and constraints, as the action tiers see them.
 *
 * @param maxDailyActions 0 when there is no daily cap
 * @param cooldownSeconds 0 when there is no cooldown
 */
public record AgentPolicy(String agentId, int blueprintVersion, ActionScope maxAllowedScope, OverrideMode overrideMode,
                          double riskThreshold, double minConfidenceThreshold, boolean requireApprovalForAllActions,
                          int maxDailyActions, long cooldownSeconds, int requiredApprovals, long approvalTimeoutSeconds,
                          AccessLevel accessLevel) {
}
