package dev.agentfactory.rules.model;

import org.kie.api.runtime.rule.RuleContext;

/** Result fact: the agent is activated by the event, and why. */
public record Activation(String ruleId, String reason) {
    public static Activation of(RuleContext drools, String reason) {
        return new Activation(RuleMetadata.id(drools.getRule().getName()), reason);
    }
}
