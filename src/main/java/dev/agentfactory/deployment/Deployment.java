package dev.agentfactory.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** One entry of an agent's deployment history. */
public record Deployment(UUID id, UUID agentId, int blueprintVersion, String kind, String outcome, String requestedBy,
                        Instant startedAt, Instant finishedAt, Integer compileMs, Integer deployMs,
                        String templateVersion, String ruleSetVersion, JsonNode error) {
}
