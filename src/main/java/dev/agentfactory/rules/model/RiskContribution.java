package dev.agentfactory.rules.model;

import org.kie.api.runtime.rule.RuleContext;

/** Result fact (tier 2): part of the action's risk score (the score is the sum, capped at 1). */
public record RiskContribution(String ruleId, double points, String reason) {
    public static RiskContribution of(RuleContext drools, double points, String reason) {
        return new RiskContribution(RuleMetadata.id(drools.getRule().getName()), points, reason);
    }
}
