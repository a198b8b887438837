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
 * @param requestedBy who raised the request: the agent's principal ({@code agent:<name>}) for an
 *     action, the deployer for a deployment
 * @param createdBy who created the blueprint
 * @param modifiedBy who wrote the blueprint version concerned (the running one for an action, the
 *     one to be deployed for a deployment): its last editor, or its author for version 1
 * @param deployedBy everyone who deployed or rolled back the agent so far
 * @param hardReasons the action has a hard or mandatory reason to ask a human (never covered by a standing grant)
 */
public record ApprovalRequestFact(String kind, String agentId, String actionType, ActionScope scope, double riskScore,
                                  int requiredApprovals, long timeoutSeconds, IndustryProfile industryProfile,
                                  List<String> reasons, String requestedBy, boolean requesterIsAdmin,
                                  String createdBy, String modifiedBy, List<String> deployedBy, boolean hardReasons) {
    public ApprovalRequestFact {
        actionType = actionType == null ? "" : actionType;
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        requestedBy = requestedBy == null ? "" : requestedBy;
        createdBy = createdBy == null ? "" : createdBy;
        modifiedBy = modifiedBy == null ? "" : modifiedBy;
        deployedBy = deployedBy == null ? List.of() : List.copyOf(deployedBy);
    }

    /** A request as its raiser knows it; the approval queue adds who wrote and deployed the agent. */
    public ApprovalRequestFact(String kind, String agentId, String actionType, ActionScope scope, double riskScore,
                               int requiredApprovals, long timeoutSeconds, IndustryProfile industryProfile,
                               List<String> reasons, String requestedBy, boolean requesterIsAdmin) {
        this(kind, agentId, actionType, scope, riskScore, requiredApprovals, timeoutSeconds, industryProfile, reasons,
                requestedBy, requesterIsAdmin, null, null, null, false);
    }

    /** The same request, saying whether the action has a hard reason to ask a human. */
    public ApprovalRequestFact withHardReasons(boolean hard) {
        return new ApprovalRequestFact(kind, agentId, actionType, scope, riskScore, requiredApprovals, timeoutSeconds,
                industryProfile, reasons, requestedBy, requesterIsAdmin, createdBy, modifiedBy, deployedBy, hard);
    }

    public ApprovalRequestFact withPeople(String createdBy, String modifiedBy, List<String> deployedBy) {
        return new ApprovalRequestFact(kind, agentId, actionType, scope, riskScore, requiredApprovals, timeoutSeconds,
                industryProfile, reasons, requestedBy, requesterIsAdmin, createdBy, modifiedBy, deployedBy, hardReasons);
    }
}
