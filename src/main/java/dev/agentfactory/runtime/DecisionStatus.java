package dev.agentfactory.runtime;

import dev.agentfactory.approval.ApprovalStatus;
import dev.agentfactory.rules.model.Decision;

/** Where a decision stands: the rules' answer, then (for one that waited) what the approvers made of it. */
public enum DecisionStatus {
    EXECUTE, PENDING_APPROVAL, APPROVED, REJECTED, EXPIRED;

    static DecisionStatus of(Decision decision) {
        return switch (decision) {
            case EXECUTE -> EXECUTE;
            case REQUIRE_APPROVAL -> PENDING_APPROVAL;
            case REJECT -> REJECTED;
        };
    }

    /** What a decided approval request makes of the decision that waited for it. */
    static DecisionStatus of(ApprovalStatus approval) {
        return switch (approval) {
            case APPROVED -> APPROVED;
            case REJECTED -> REJECTED;
            case EXPIRED -> EXPIRED;
            case PENDING -> PENDING_APPROVAL;
        };
    }
}
