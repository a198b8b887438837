package dev.agentfactory.rules.model;

import org.kie.api.runtime.rule.RuleContext;

/** Result fact: one of the agent's trigger conditions (the rule that checks it) does not hold on the event's data. */
public record ConditionFailed(String ruleId) {
    public static ConditionFailed of(RuleContext drools) {
        return new ConditionFailed(RuleMetadata.id(drools.getRule().getName()));
    }
}
