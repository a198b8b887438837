package dev.agentfactory.deployment;

import dev.agentfactory.blueprint.BlueprintStatus;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;

/**
 * The answer to a deploy or rollback: either it is live ({@code deploymentId}), or it waits for an
 * approver ({@code approvalId}, HTTP 202; the deployment then happens by itself once approved).
 *
 * @param callbackSecret the secret the agent's callbacks are signed with; shown only here
 * @param warnings the validation's warnings, each with what it will mean at run time
 * @param atRunTime how the live rules will decide each allowed action type (once the agent is live)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeployResult(UUID deploymentId, int blueprintVersion, BlueprintStatus status, long compileMs,
                           long deployMs, String kind, UUID approvalId, List<String> approvalReasons,
                           String callbackSecret, List<RunTimeForecast.Warning> warnings,
                           List<RunTimeForecast.Prediction> atRunTime) {
    public boolean pending() {
        return approvalId != null;
    }
}
