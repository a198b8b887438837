package dev.agentfactory.deployment;

import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.rules.Refusal;
import dev.agentfactory.web.Json;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Template loads and refusals go into the audit trail as system-wide entries. */
public final class TemplateAuditListener implements AgentTemplates.Listener {
    private static final Logger log = LoggerFactory.getLogger(TemplateAuditListener.class);

    private final Jdbi jdbi;
    private final AuditLog auditLog;

    public TemplateAuditListener(Jdbi jdbi, AuditLog auditLog) {
        this.jdbi = jdbi;
        this.auditLog = auditLog;
    }

    @Override
    public void loaded(TemplateSet templates) {
        append(new AuditEvent(null, "system", "templates.loaded", "template_set", templates.version(), null, null,
                Json.tree(Map.of("version", templates.version(), "files", templates.texts().keySet())), null, List.of()));
    }

    @Override
    public void refused(Refusal refusal) {
        append(new AuditEvent(null, "system", "templates.refused", "template_set", refusal.version(), null, null,
                Json.tree(refusal), null, List.of()));
    }

    private void append(AuditEvent event) {
        try {
            jdbi.useTransaction(handle -> auditLog.append(handle, event));
        } catch (RuntimeException e) {
            log.error("could not audit {} of template set {}", event.action(), event.entityId(), e);
        }
    }
}
