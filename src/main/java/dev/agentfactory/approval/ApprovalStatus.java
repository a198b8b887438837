package dev.agentfactory.approval;

import java.util.Locale;

/** Where an approval request stands. Only the approval package moves it; others learn the outcome. */
public enum ApprovalStatus {
    PENDING, APPROVED, REJECTED, EXPIRED;

    /** The value stored in {@code approvals.status} and shown in the API. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ApprovalStatus of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
