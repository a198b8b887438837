package dev.agentfactory.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.auth.Caller;
import java.util.List;
import java.util.UUID;

/**
 * One thing that happened, about to be appended to the audit trail in the same transaction as the
 * change it describes.
 *
 * @param tokenId the API token the change was made with; null for the server's own doings
 */
public record AuditEvent(
        UUID organizationId,
        String actor,
        UUID tokenId,
        String action,
        String entityType,
        String entityId,
        String traceId,
        JsonNode before,
        JsonNode after,
        String ruleSetVersion,
        List<String> rulesFired) {

    public AuditEvent {
        rulesFired = rulesFired == null ? List.of() : List.copyOf(rulesFired);
    }

    /** An event with no token behind it: the server itself (start-up, rule reloads, background work). */
    public AuditEvent(UUID organizationId, String actor, String action, String entityType, String entityId,
                      String traceId, JsonNode before, JsonNode after, String ruleSetVersion, List<String> rulesFired) {
        this(organizationId, actor, null, action, entityType, entityId, traceId, before, after, ruleSetVersion,
                rulesFired);
    }

    /** An event done by an API caller in its own organization, with the token it used. */
    public static AuditEvent by(Caller caller, String action, String entityType, Object entityId,
                                JsonNode before, JsonNode after) {
        return new AuditEvent(caller.organizationId(), caller.principal(), caller.tokenId(), action, entityType,
                String.valueOf(entityId), caller.requestId(), before, after, null, List.of());
    }

    public AuditEvent inOrganization(UUID organization) {
        return new AuditEvent(organization, actor, tokenId, action, entityType, entityId, traceId, before, after,
                ruleSetVersion, rulesFired);
    }

    public AuditEvent withRules(String version, List<String> fired) {
        return new AuditEvent(organizationId, actor, tokenId, action, entityType, entityId, traceId, before, after,
                version, fired);
    }
}
