package dev.agentfactory.rules.model;

import org.kie.api.runtime.rule.RuleContext;

/** Result fact (tier 3): what a rule decides. When several rules decide, the strictest verdict wins. */
public record Verdict(String ruleId, Decision decision, String reason) {
    public static Verdict of(RuleContext drools, Decision decision, String reason) {
        return new Verdict(RuleMetadata.id(drools.getRule().getName()), decision, reason);
    }
}
