package dev.agentfactory.blueprint;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** An immutable snapshot of a blueprint as it was stored at one version. */
public record BlueprintVersion(int version, Instant createdAt, String createdBy, JsonNode blueprint) {
}
