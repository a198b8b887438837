package dev.agentfactory.approval;

import dev.agentfactory.rules.model.ApprovalRequestFact;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A request for human approval about to be raised: what the routing rules see ({@code fact}), what
 * approvers are shown ({@code summary}, {@code reasons}) and where the outcome is sent.
 *
 * @param decisionId the decision waiting for it (ACTION), or null (DEPLOYMENT)
 * @param callbackUrl the agent's callbackUrl, or null
 * @param callbackSecret the secret its callbacks are signed with, or null
 */
public record ApprovalRequest(ApprovalRequestFact fact, UUID organizationId, UUID agentId, UUID decisionId,
                              int blueprintVersion, Map<String, Object> summary, List<String> reasons,
                              String callbackUrl, String callbackSecret) {
    public ApprovalRequest {
        reasons = List.copyOf(reasons);
    }
}
