package dev.agentfactory.validation;

import dev.agentfactory.rules.ValidationReport;

import dev.agentfactory.rules.BlueprintValidator;

import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.blueprint.Blueprint;
import dev.agentfactory.blueprint.BlueprintService;
import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.blueprint.BlueprintStatus;
import dev.agentfactory.rules.PolicyEngine;
import dev.agentfactory.rules.RuleSet;
import dev.agentfactory.rules.model.Requester;
import dev.agentfactory.web.Json;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Blueprint validation against the live rule set and the organization's custom rules. A stored
 * blueprint moves Draft → Validating → ValidationFailed or ReadyForDeployment, and the run is
 * recorded and audited with the rule-set version that decided it; a dry run stores nothing.
 */
public final class ValidationService {
    private final Jdbi jdbi;
    private final PolicyEngine rules;
    private final BlueprintValidator validator;
    private final BlueprintService blueprints;
    private final AuditLog auditLog;

    public ValidationService(Jdbi jdbi, PolicyEngine rules, BlueprintValidator validator, BlueprintService blueprints,
                             AuditLog auditLog) {
        this.jdbi = jdbi;
        this.rules = rules;
        this.validator = validator;
        this.blueprints = blueprints;
        this.auditLog = auditLog;
    }

    public ValidationReport dryRun(Caller caller, BlueprintSpec spec) {
        return validator.validate(rules.current(), caller.organizationId(), spec, requester(caller));
    }

    public StoredValidation validateStored(Caller caller, UUID blueprintId) {
        RuleSet ruleSet = rules.current();
        Started started = jdbi.inTransaction(handle -> {
            Blueprint blueprint = blueprints.lockForChange(handle, caller.organizationId(), blueprintId);
            // a deployed (or deploying) blueprint keeps its status: validating it is a check, not a step back
            return new Started(blueprint.status(), blueprint.status().canMoveTo(BlueprintStatus.Validating)
                    ? blueprints.setStatus(handle, blueprint, BlueprintStatus.Validating) : blueprint);
        });
        Blueprint validating = started.blueprint();
        ValidationReport report = validator.validate(ruleSet, caller.organizationId(), validating.spec(),
                requester(caller));
        return jdbi.inTransaction(handle -> {
            Blueprint before = blueprints.lockForChange(handle, caller.organizationId(), blueprintId);
            Blueprint after = before;
            // Only the run that put it into Validating, on the version it judged, decides its status.
            if (before.status() == BlueprintStatus.Validating && before.version() == validating.version()) {
                after = blueprints.setStatus(handle, before,
                        report.valid() ? BlueprintStatus.ReadyForDeployment : BlueprintStatus.ValidationFailed);
            }
            UUID runId = handle.attach(ValidationDao.class).insert(caller.organizationId(), blueprintId,
                    validating.version(), report.ruleSetVersion(), report.valid(), report.riskLevel().name(),
                    report.requiresApproval(), Json.write(report), caller.principal());
            auditLog.append(handle, AuditEvent.by(caller, "blueprint.validated", "blueprint", blueprintId,
                            Json.tree(Map.of("status", started.originalStatus(), "version", validating.version())),
                            Json.tree(Map.of("status", after.status(), "validationId", runId, "report", report)))
                    .withRules(report.ruleSetVersion(), report.rulesFired()));
            return new StoredValidation(report, runId, blueprintId, validating.version(), after.status());
        });
    }

    private record Started(BlueprintStatus originalStatus, Blueprint blueprint) {
    }

    public static Requester requester(Caller caller) {
        return new Requester(caller.principal(), caller.isAdmin());
    }
}
