package dev.agentfactory.runtime;

import dev.agentfactory.approval.ApprovalOutcome;
import dev.agentfactory.approval.ApprovalOutcomeHandler;
import org.jdbi.v3.core.Handle;

/** What an approver's answer (or the deadline) makes of the decision that waited for it. */
public final class DecisionOutcomes implements ApprovalOutcomeHandler {

    @Override
    public void decided(Handle handle, ApprovalOutcome outcome) {
        if (outcome.decisionId() != null) {
            handle.attach(DecisionDao.class).setStatus(outcome.organizationId(), outcome.decisionId(),
                    DecisionStatus.of(outcome.status()).name());
            DecisionWaits.announce(handle, outcome.decisionId());
        }
    }
}
