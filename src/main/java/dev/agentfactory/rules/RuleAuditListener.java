package dev.agentfactory.rules;

import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.web.Json;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every rule-set load and refusal goes into the audit trail, as a system-wide entry (no organization). */
public final class RuleAuditListener implements RuleEngine.Listener {
    private static final Logger log = LoggerFactory.getLogger(RuleAuditListener.class);

    private final Jdbi jdbi;
    private final AuditLog auditLog;

    public RuleAuditListener(Jdbi jdbi, AuditLog auditLog) {
        this.jdbi = jdbi;
        this.auditLog = auditLog;
    }

    @Override
    public void loaded(RuleSet ruleSet, String trigger, long millis) {
        append(new AuditEvent(null, "system", "rules.loaded", "rule_set", ruleSet.version(), trigger, null,
                Json.tree(Map.of("version", ruleSet.version(), "ruleCount", ruleSet.rules().size(),
                        "files", ruleSet.files(), "millis", millis)), ruleSet.version(), List.of()));
    }

    @Override
    public void refused(Refusal refusal, String trigger, long millis) {
        append(new AuditEvent(null, "system", "rules.refused", "rule_set", refusal.version(), trigger, null,
                Json.tree(refusal), refusal.version(), List.of()));
    }

    private void append(AuditEvent event) {
        try {
            jdbi.useTransaction(handle -> auditLog.append(handle, event));
        } catch (RuntimeException e) {
            // The reload itself stands; losing its audit entry is logged loudly rather than undoing it.
            log.error("could not audit {} of rule set {}", event.action(), event.entityId(), e);
        }
    }
}
