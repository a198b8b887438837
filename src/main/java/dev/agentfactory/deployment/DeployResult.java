package dev.agentfactory.deployment;

import dev.agentfactory.blueprint.BlueprintStatus;
import java.util.UUID;

/** The answer to a deploy or rollback. */
public record DeployResult(UUID deploymentId, int blueprintVersion, BlueprintStatus status, long compileMs,
                           long deployMs, String kind) {
}
