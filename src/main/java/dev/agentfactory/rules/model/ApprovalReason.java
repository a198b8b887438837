package dev.agentfactory.rules.model;

import org.kie.api.runtime.rule.RuleContext;

/**
 * Result fact: a reason a human should approve the action.
 *
 * @param mandatory true when no override mode may skip it (above the scope cap, approval required for all)
 */
public record ApprovalReason(String ruleId, String reason, boolean mandatory) {
    public static ApprovalReason of(RuleContext drools, String reason) {
        return new ApprovalReason(RuleMetadata.id(drools.getRule().getName()), reason, false);
    }

    public static ApprovalReason mandatory(RuleContext drools, String reason) {
        return new ApprovalReason(RuleMetadata.id(drools.getRule().getName()), reason, true);
    }
}
