package dev.agentfactory.rules.model;

import org.kie.api.runtime.rule.RuleContext;

/** Result fact: an organization's custom rule matched. Java maps its id back to the stored outcome. */
public record CustomMatch(String ruleId) {
    public static CustomMatch of(RuleContext drools) {
        return new CustomMatch(RuleMetadata.id(drools.getRule().getName()));
    }
}
