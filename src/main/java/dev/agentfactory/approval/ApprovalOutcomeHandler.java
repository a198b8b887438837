package dev.agentfactory.approval;

import org.jdbi.v3.core.Handle;

/** What a package does when one of its requests is decided. */
public interface ApprovalOutcomeHandler {

    /** Runs in the transaction that decides the request: its writes commit (or roll back) with the decision. */
    default void decided(Handle handle, ApprovalOutcome outcome) {
    }

    /** Runs once that transaction committed, outside it; a failure here leaves the decision standing. */
    default void committed(ApprovalOutcome outcome) {
    }
}
