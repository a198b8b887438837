package dev.agentfactory.rules;

import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.web.Json;
import java.util.List;
import java.util.Map;

/** Every rule-set load and refusal goes into the audit trail, as a system-wide entry (no organization). */
public final class RuleAuditListener implements RuleEngine.Listener {
    private final AuditLog auditLog;

    public RuleAuditListener(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @Override
    public void loaded(RuleSet ruleSet, String trigger, long millis) {
        auditLog.appendAlone(new AuditEvent(null, "system", "rules.loaded", "rule_set", ruleSet.version(), trigger, null,
                Json.tree(Map.of("version", ruleSet.version(), "ruleCount", ruleSet.rules().size(),
                        "files", ruleSet.files(), "millis", millis)), ruleSet.version(), List.of()));
    }

    @Override
    public void refused(Refusal refusal, String trigger, long millis) {
        auditLog.appendAlone(new AuditEvent(null, "system", "rules.refused", "rule_set", refusal.version(), trigger, null,
                Json.tree(refusal), refusal.version(), List.of()));
    }
}
