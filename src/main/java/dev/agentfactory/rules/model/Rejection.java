package dev.agentfactory.rules.model;

import org.kie.api.runtime.rule.RuleContext;

/** Result fact (tier 1): the action is not relevant for this agent now; it is rejected whatever the mode. */
public record Rejection(String ruleId, String reason) {
    public static Rejection of(RuleContext drools, String reason) {
        return new Rejection(RuleMetadata.id(drools.getRule().getName()), reason);
    }
}
