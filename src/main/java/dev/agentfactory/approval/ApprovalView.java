package dev.agentfactory.approval;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A request as approvers see it. */
public record ApprovalView(UUID id, String kind, String status, UUID agentId, String agentName, UUID decisionId,
                           Integer blueprintVersion, JsonNode summary, double riskScore, JsonNode reasons,
                           int requiredApprovals, int approvals, List<Vote> votes, String approverRole, int priority,
                           boolean escalated, String requestedBy, Instant createdAt, Instant expiresAt,
                           Instant decidedAt, String decidedBy, JsonNode rulesFired) {

    public record Vote(String principal, String vote, String comment, Instant at) {
    }
}
