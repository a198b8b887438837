package dev.agentfactory.rules.model;

import org.kie.api.runtime.rule.RuleContext;

/** Result fact (tier 3): the decision is the LLM's to make; the server asks it and evaluates again with its verdict. */
public record LlmConsultation(String ruleId) {
    public static LlmConsultation of(RuleContext drools) {
        return new LlmConsultation(RuleMetadata.id(drools.getRule().getName()));
    }
}
