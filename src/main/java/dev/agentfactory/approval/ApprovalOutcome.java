package dev.agentfactory.approval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/**
 * A request that was just decided (approved, rejected or expired), as the packages that asked for
 * it learn it. What it means for them (a decision's status, a deployment going ahead) is theirs.
 *
 * @param decisionId the decision waiting for it (ACTION), or null (DEPLOYMENT)
 * @param summary what approvers were shown when it was raised
 * @param approvedPayload the payload an approver changed the action to and approved, or null (as proposed)
 * @param grant the standing grant the approvers allowed with it, or null
 */
public record ApprovalOutcome(UUID approvalId, UUID organizationId, String kind, UUID agentId, UUID decisionId,
                              int blueprintVersion, ApprovalStatus status, String decidedBy, String requestedBy,
                              JsonNode summary, String callbackSecret, JsonNode approvedPayload, GrantTerms grant) {
}
