package dev.agentfactory.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A stored audit entry as the API shows it. {@code tokenId}: the API token it was made with (null
 * for the server's own doings). {@code keyEpoch} and {@code entryMac}: the key epoch and the MAC the
 * server wrote with it (null before V10). The seal ({@code sealSeq}, {@code prevHash}, {@code hash},
 * {@code sealKeyEpoch}, {@code entryCheck}) is null until it is sealed into its chain; a seal with no
 * key epoch is a legacy SHA-256 one.
 */
public record AuditEntry(
        long id,
        UUID organizationId,
        Instant occurredAt,
        String actor,
        UUID tokenId,
        String action,
        String entityType,
        String entityId,
        String traceId,
        JsonNode before,
        JsonNode after,
        String ruleSetVersion,
        List<String> rulesFired,
        Integer keyEpoch,
        String entryMac,
        Long sealSeq,
        String prevHash,
        String hash,
        Integer sealKeyEpoch,
        String entryCheck) {
}
