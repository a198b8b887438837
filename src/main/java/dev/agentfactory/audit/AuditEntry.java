package dev.agentfactory.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A stored audit entry as the API shows it; {@code hash} is null until it is sealed into its chain. */
public record AuditEntry(
        long id,
        UUID organizationId,
        Instant occurredAt,
        String actor,
        String action,
        String entityType,
        String entityId,
        String traceId,
        JsonNode before,
        JsonNode after,
        String ruleSetVersion,
        List<String> rulesFired,
        Long sealSeq,
        String prevHash,
        String hash) {
}
