package dev.agentfactory.blueprint;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.UUID;

/** A stored blueprint: its spec plus what the server owns (identity, status, version, authorship). */
@JsonPropertyOrder({"id", "organizationId", "name", "status", "version"})
public record Blueprint(
        UUID id,
        UUID organizationId,
        @JsonUnwrapped BlueprintSpec spec,
        BlueprintStatus status,
        int version,
        String createdBy,
        Instant createdAt,
        Instant lastModified,
        String modifiedBy,
        UUID deploymentId) {

    public String etag() {
        return "\"" + version + "\"";
    }
}
