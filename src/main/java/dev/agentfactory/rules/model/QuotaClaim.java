package dev.agentfactory.rules.model;

import org.kie.api.runtime.rule.RuleContext;

/**
 * Result fact (tier 1): the action uses up a constraint that the database enforces atomically when
 * the decision is stored (so concurrent proposals cannot slip past it). If the claim fails, the
 * action is rejected with this rule's reason.
 *
 * @param kind {@code DAILY} (limit = actions per agent per day) or {@code COOLDOWN} (seconds per contact and type)
 */
public record QuotaClaim(String ruleId, String kind, long limit, String reason) {
    public static QuotaClaim daily(RuleContext drools, long limit, String reason) {
        return new QuotaClaim(RuleMetadata.id(drools.getRule().getName()), "DAILY", limit, reason);
    }

    public static QuotaClaim cooldown(RuleContext drools, long seconds, String reason) {
        return new QuotaClaim(RuleMetadata.id(drools.getRule().getName()), "COOLDOWN", seconds, reason);
    }
}
