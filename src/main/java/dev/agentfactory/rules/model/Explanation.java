package dev.agentfactory.rules.model;

import org.kie.api.runtime.rule.RuleContext;

/** Result fact: a sentence that belongs in the decision's reasons (e.g. why the LLM was not used). */
public record Explanation(String ruleId, String text) {
    public static Explanation of(RuleContext drools, String text) {
        return new Explanation(RuleMetadata.id(drools.getRule().getName()), text);
    }
}
