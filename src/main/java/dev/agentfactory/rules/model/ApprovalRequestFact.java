package dev.agentfactory.rules.model;

import dev.agentfactory.blueprint.ActionScope;
import dev.agentfactory.blueprint.IndustryProfile;
import java.util.List;

/**
 * Fact: a request for human approval, as the routing rules see it.
 *
 * @param kind {@code ACTION} (a REQUIRE_APPROVAL decision) or {@code DEPLOYMENT} (a deploy that needs approval)
 * @param actionType the action's type (ACTION) or empty (DEPLOYMENT)
 * @param scope the action's scope, or the blueprint's maxAllowedScope for a deployment
 * @param requiredApprovals what the blueprint asks for (routing may only raise it)
 * @param timeoutSeconds the blueprint's approvalTimeout (routing may only shorten it)
 */
public record ApprovalRequestFact(String kind, String agentId, String actionType, ActionScope scope, double riskScore,
                                  int requiredApprovals, long timeoutSeconds, IndustryProfile industryProfile,
                                  List<String> reasons, String requestedBy, boolean requesterIsAdmin) {
    public ApprovalRequestFact {
        actionType = actionType == null ? "" : actionType;
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }
}
