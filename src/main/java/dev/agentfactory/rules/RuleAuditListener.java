package dev.agentfactory.rules;

import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.web.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every bundle this instance starts serving ({@code rules.loaded}) and every one it refuses
 * ({@code rules.refused}) goes into the audit trail, as a system-wide entry (no organization). With
 * several instances, each says so for itself: {@code host} tells them apart.
 */
public final class RuleAuditListener implements PolicyEngine.Listener {
    private final AuditLog auditLog;
    private final String host;

    public RuleAuditListener(AuditLog auditLog) {
        this.auditLog = auditLog;
        this.host = BundlePublisher.hostName();
    }

    @Override
    public void activated(ActiveBundle bundle, ActiveBundle previous, String trigger) {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("version", bundle.version());
        after.put("previous", previous == null ? null : previous.version());
        after.put("ruleCount", bundle.rules().rules().size());
        after.put("files", bundle.built().files());
        after.put("templateVersion", bundle.templates().version());
        after.put("source", bundle.source());
        after.put("host", host);
        after.put("millis", bundle.built().millis());
        auditLog.appendAlone(new AuditEvent(null, "system", "rules.loaded", "policy_bundle", bundle.version(), trigger,
                null, Json.tree(after), bundle.version(), List.of()));
    }

    @Override
    public void refused(Refusal refusal, String trigger, long millis) {
        Map<String, Object> after = new LinkedHashMap<>(Json.MAPPER.convertValue(refusal, Map.class));
        after.put("host", host);
        auditLog.appendAlone(new AuditEvent(null, "system", "rules.refused", "policy_bundle", refusal.version(), trigger,
                null, Json.tree(after), refusal.version(), List.of()));
    }
}
