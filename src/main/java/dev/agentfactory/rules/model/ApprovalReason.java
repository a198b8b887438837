package dev.agentfactory.rules.model;

import org.kie.api.runtime.rule.RuleContext;

/**
 * Result fact: a reason a human should approve the action. Reasons come in three strengths:
 * <ul>
 *   <li>soft ({@link #of}): RiskBased asks a human; an LLM under LLMDecision may waive it;</li>
 *   <li>hard ({@link #hard}): RiskBased and LLMDecision always ask a human (the LLM may not waive it);
 *       NeverAsk, an admin-approved choice, still skips it;</li>
 *   <li>mandatory ({@link #mandatory}): every override mode asks a human, NeverAsk included.</li>
 * </ul>
 *
 * @param hard true when no LLM may waive it (implied by mandatory)
 * @param mandatory true when no override mode may skip it (above the scope cap, approval required for all)
 */
public record ApprovalReason(String ruleId, String reason, boolean hard, boolean mandatory) {
    public ApprovalReason {
        hard = hard || mandatory;
    }

    public static ApprovalReason of(RuleContext drools, String reason) {
        return new ApprovalReason(RuleMetadata.id(drools.getRule().getName()), reason, false, false);
    }

    public static ApprovalReason hard(RuleContext drools, String reason) {
        return new ApprovalReason(RuleMetadata.id(drools.getRule().getName()), reason, true, false);
    }

    public static ApprovalReason mandatory(RuleContext drools, String reason) {
        return new ApprovalReason(RuleMetadata.id(drools.getRule().getName()), reason, true, true);
    }
}
