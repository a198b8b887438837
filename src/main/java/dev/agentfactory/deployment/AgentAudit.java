package dev.agentfactory.deployment;

import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.rules.ValidationReport;
import dev.agentfactory.web.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Audit entries about an agent's deployment and run state, with the rules that decided them when there are any. */
final class AgentAudit {
    private AgentAudit() {
    }

    static void record(AuditLog auditLog, Handle handle, Caller caller, String action, UUID agentId,
                       Map<String, Object> after, ValidationReport report) {
        AuditEvent event = AuditEvent.by(caller, action, "agent", agentId, null, Json.tree(new LinkedHashMap<>(after)));
        auditLog.append(handle, report == null ? event : event.withRules(report.ruleSetVersion(), report.rulesFired()));
    }
}
