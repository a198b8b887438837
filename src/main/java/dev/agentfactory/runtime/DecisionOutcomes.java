package dev.agentfactory.runtime;

import dev.agentfactory.approval.ApprovalOutcome;
import dev.agentfactory.approval.ApprovalOutcomeHandler;
import dev.agentfactory.grant.Grants;
import org.jdbi.v3.core.Handle;

/** What an approver's answer (or the deadline) makes of the decision that waited for it. */
public final class DecisionOutcomes implements ApprovalOutcomeHandler {
    private final Grants grants;

    public DecisionOutcomes(Grants grants) {
        this.grants = grants;
    }

    /** How long an approved action stays good for its one execution. */
    static final java.time.Duration APPROVAL_GOOD_FOR = java.time.Duration.ofHours(24);

    @Override
    public void decided(Handle handle, ApprovalOutcome outcome) {
        if (outcome.decisionId() != null) {
            // what the agent's history windows read changes: as a windowed decision does, under the agent's lock
            HistoryFacts.lock(handle, outcome.agentId());
            handle.attach(DecisionDao.class).setStatus(outcome.organizationId(), outcome.decisionId(),
                    DecisionStatus.of(outcome.status()).name(), APPROVAL_GOOD_FOR.toSeconds());
            if (outcome.approvedPayload() != null) {
                handle.attach(DecisionDao.class).approveEdited(outcome.organizationId(), outcome.decisionId(),
                        dev.agentfactory.web.Json.write(outcome.approvedPayload()));
            }
            if (outcome.grant() != null && outcome.status() == dev.agentfactory.approval.ApprovalStatus.APPROVED) {
                grants.create(handle, outcome);
            }
            DecisionWaits.announce(handle, outcome.decisionId());
        }
    }
}
