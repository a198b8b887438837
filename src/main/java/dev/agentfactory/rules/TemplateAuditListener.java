package dev.agentfactory.rules;

import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.web.Json;
import java.util.List;
import java.util.Map;

/** Template loads and refusals go into the audit trail as system-wide entries. */
public final class TemplateAuditListener implements AgentTemplates.Listener {
    private final AuditLog auditLog;

    public TemplateAuditListener(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @Override
    public void loaded(TemplateSet templates) {
        auditLog.appendAlone(new AuditEvent(null, "system", "templates.loaded", "template_set", templates.version(), null, null,
                Json.tree(Map.of("version", templates.version(), "files", templates.texts().keySet())), null, List.of()));
    }

    @Override
    public void refused(Refusal refusal) {
        auditLog.appendAlone(new AuditEvent(null, "system", "templates.refused", "template_set", refusal.version(), null, null,
                Json.tree(refusal), null, List.of()));
    }
}
