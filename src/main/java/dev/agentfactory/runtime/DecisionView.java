package dev.agentfactory.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.agentfactory.blueprint.ActionScope;
import dev.agentfactory.rules.model.Decision;
import java.util.List;
import java.util.UUID;

/**
 * One decision as the agent gets it back. {@code approvalId} only for REQUIRE_APPROVAL;
 * {@code argumentsDigest} only for EXECUTE: the arguments it is good for, once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecisionView(UUID decisionId, String actionType, ActionScope scope, Decision decision, double riskScore,
                           List<String> reasons, List<String> rulesFired, String ruleSetVersion, int agentVersion,
                           UUID approvalId, String argumentsDigest) {
}
