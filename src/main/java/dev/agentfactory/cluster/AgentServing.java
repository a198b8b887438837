package dev.agentfactory.cluster;

import java.util.UUID;

/** One agent as an instance serves it, or as the database says every instance should. */
public record AgentServing(UUID organizationId, UUID deploymentId, int blueprintVersion, boolean paused) {
    String describe() {
        return "deployment " + deploymentId + " (version " + blueprintVersion + "), " + (paused ? "paused" : "running");
    }
}
