package dev.agentfactory.approval;
import dev.agentfactory.rules.ExcludedVoter;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A request as approvers see it.
 *
 * @param excludedVoters who may not vote on it and why (separation of duties), so a 403 is no surprise
 */
public record ApprovalView(UUID id, String kind, String status, UUID agentId, String agentName, UUID decisionId,
                           Integer blueprintVersion, JsonNode summary, double riskScore, JsonNode reasons,
                           int requiredApprovals, int approvals, List<Vote> votes, String approverRole, int priority,
                           boolean escalated, String requestedBy, Instant createdAt, Instant expiresAt,
                           Instant decidedAt, String decidedBy, JsonNode rulesFired, List<ExcludedVoter> excludedVoters,
                           JsonNode grantable) {

    /** @param payload the payload an approver changed the action to before approving, or null */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Vote(String principal, String vote, String comment, Instant at, JsonNode payload, JsonNode grant) {
    }
}
