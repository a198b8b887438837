package dev.agentfactory.event;

import java.util.List;
import java.util.UUID;

/** The answer to an event: which agents it activated, and why. */
public record ActivationResult(UUID eventId, List<Activated> activations) {
    public ActivationResult {
        activations = List.copyOf(activations);
    }

    public record Activated(UUID deploymentId, UUID agentId, String name, int blueprintVersion, String reason) {
    }
}
