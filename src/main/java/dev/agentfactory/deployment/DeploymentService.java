package dev.agentfactory.deployment;

import dev.agentfactory.rules.CompiledAgent;

import dev.agentfactory.rules.TemplateSet;

import dev.agentfactory.rules.AgentCompileException;

import dev.agentfactory.rules.AgentCompiler;

import dev.agentfactory.approval.ApprovalOutcome;
import dev.agentfactory.approval.ApprovalOutcomeHandler;
import dev.agentfactory.approval.ApprovalRequest;
import dev.agentfactory.approval.ApprovalService;
import dev.agentfactory.approval.ApprovalStatus;
import dev.agentfactory.approval.RoutedRequest;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.monitoring.Metrics;
import dev.agentfactory.outbox.Signatures;
import dev.agentfactory.rules.RuleSet;
import dev.agentfactory.rules.model.ApprovalRequestFact;
import java.util.Set;
import dev.agentfactory.blueprint.Blueprint;
import dev.agentfactory.blueprint.BlueprintService;
import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.blueprint.BlueprintStatus;
import dev.agentfactory.rules.ActiveBundle;
import dev.agentfactory.rules.PolicyEngine;
import dev.agentfactory.rules.BlueprintValidator;
import dev.agentfactory.rules.ActionPipeline;
import dev.agentfactory.rules.ValidationReport;
import dev.agentfactory.validation.ValidationService;
import dev.agentfactory.web.ApiException;
import dev.agentfactory.web.ConflictException;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.ValidationFailedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys blueprint versions as live agents. A deploy validates, compiles and smoke-checks the
 * version off the live path and registers it only after the database says so; until then the
 * running version (if any) keeps serving, and a failure leaves it serving.
 */
public final class DeploymentService {
    private static final Logger log = LoggerFactory.getLogger(DeploymentService.class);

    private final Jdbi jdbi;
    private final BlueprintService blueprints;
    private final BlueprintValidator validator;
    private final RunTimeForecast forecast;
    private final PolicyEngine policy;
    private final AgentStates states;
    private final AgentSync sync;
    private final ApprovalService approvals;
    private final AuditLog auditLog;
    private final Metrics metrics;

    public DeploymentService(Jdbi jdbi, BlueprintService blueprints, BlueprintValidator validator, PolicyEngine policy,
                             AgentStates states, AgentSync sync, ApprovalService approvals, AuditLog auditLog,
                             Metrics metrics, ActionPipeline forecastPipeline) {
        this.forecast = new RunTimeForecast(forecastPipeline);
        this.jdbi = jdbi;
        this.blueprints = blueprints;
        this.validator = validator;
        this.policy = policy;
        this.states = states;
        this.sync = sync;
        this.approvals = approvals;
        this.auditLog = auditLog;
        this.metrics = metrics;
    }

    /**
     * Deploys the blueprint's latest version; for an agent that runs already, a hot reload. When the
     * rules say the deployment needs approval, it waits in the queue instead (see {@link DeployResult}).
     */
    public DeployResult deploy(Caller caller, UUID agentId) {
        return deployVersion(caller, agentId, null, "deploy", null);
    }

    /** The deployment an approver just approved: it happens now, as the PM who asked for it. */
    public DeployResult deployApproved(ApprovalOutcome approved) {
        boolean requesterIsAdmin = approved.summary().path("requesterIsAdmin").asBoolean(false);
        Caller requester = new Caller(approved.requestedBy(), approved.organizationId(), null,
                requesterIsAdmin ? Set.of(Role.ADMIN) : Set.of(Role.PM), null, null,
                "approval " + approved.approvalId());
        return deployVersion(requester, approved.agentId(), approved.blueprintVersion(), "deploy", approved);
    }

    /** What deployment does when its approval requests are decided: an approved one goes live. */
    public ApprovalOutcomeHandler approvalHandler() {
        return new ApprovalOutcomeHandler() {
            @Override
            public void committed(ApprovalOutcome outcome) {
                if (outcome.status() != ApprovalStatus.APPROVED) {
                    return;
                }
                try {
                    deployApproved(outcome);
                } catch (ApiException | IllegalStateException e) {
                    // the attempt is recorded in the deployment history; the vote itself stands
                    log.warn("the approved deployment of agent {} did not go live: {}", outcome.agentId(),
                            e.getMessage());
                }
            }
        };
    }

    /** Redeploys an earlier immutable version: {@code toVersion}, or the one deployed before the current. */
    public DeployResult rollback(Caller caller, UUID agentId, Integer toVersion) {
        int target = toVersion != null ? toVersion : jdbi.withHandle(handle -> {
            Blueprint blueprint = blueprints.lockForChange(handle, caller.organizationId(), agentId);
            DeploymentDao deployments = handle.attach(DeploymentDao.class);
            int current = blueprint.deploymentId() == null ? blueprint.version()
                    : deployments.find(blueprint.deploymentId()).map(DeploymentDao.Row::blueprintVersion)
                            .orElse(blueprint.version());
            return deployments.previousVersion(agentId, current)
                    .orElseThrow(() -> new ConflictException("agent " + agentId
                            + " has no earlier deployed version to roll back to; give {\"toVersion\": n}"));
        });
        return deployVersion(caller, agentId, target, "rollback", null);
    }

    /** @param awaitsApproval the version needs an approval; {@code approvalId} is the one already waiting, or null */
    private record Started(UUID deploymentId, int version, BlueprintSpec spec, boolean wasRunning,
                           ValidationReport report, UUID approvalId, String callbackSecret, BlueprintStatus status,
                           boolean awaitsApproval) {
        Started(UUID deploymentId, int version, BlueprintSpec spec, boolean wasRunning, ValidationReport report,
                UUID approvalId, String callbackSecret, BlueprintStatus status) {
            this(deploymentId, version, spec, wasRunning, report, approvalId, callbackSecret, status, false);
        }
    }

    private DeployResult deployVersion(Caller caller, UUID agentId, Integer requestedVersion, String kind,
                                       ApprovalOutcome approved) {
        long started = System.nanoTime();
        // one bundle: the rules it is validated with and the templates it is compiled from belong together
        ActiveBundle bundle = policy.active();
        var ruleSet = bundle.rules();
        TemplateSet templateSet = bundle.templates();
        Started start = jdbi.inTransaction(handle -> {
            Blueprint locked = blueprints.lockForChange(handle, caller.organizationId(), agentId);
            DeploymentDao deployments = handle.attach(DeploymentDao.class);
            deployments.failInterrupted(agentId);
            if (deployments.inProgress(agentId)) {
                throw new ConflictException("a deployment of agent " + agentId + " is in progress; try again shortly");
            }
            Blueprint blueprint = AgentStates.interrupted(locked) ? states.failInterrupted(handle, caller, locked) : locked;
            int version = requestedVersion == null ? blueprint.version() : requestedVersion;
            BlueprintSpec spec = version == blueprint.version() ? blueprint.spec()
                    : blueprints.versionSpec(caller.organizationId(), agentId, version);
            boolean running = blueprint.status().running();
            ValidationReport report = validator.validate(ruleSet, caller.organizationId(), spec,
                    ValidationService.requester(caller));
            if (!report.valid()) {
                UUID rejected = deployments.insert(caller.organizationId(), agentId, version, kind, "Rejected",
                        caller.principal(), templateSet.version(), ruleSet.version(), Json.write(Map.of(
                                "message", "validation failed", "findings", report.findings())), null);
                if (!running) {
                    states.move(handle, blueprint, BlueprintStatus.ValidationFailed);
                }
                AgentAudit.record(auditLog, handle, caller, "agent.deploy_rejected", agentId, Map.of("deploymentId", rejected,
                        "blueprintVersion", version, "findings", report.findings()), report);
                return new Started(rejected, version, spec, running, report, null, null, blueprint.status());
            }
            String secret = spec.actionConfig().callbackUrl() == null ? null
                    : approved != null && approved.callbackSecret() != null ? approved.callbackSecret()
                    : Signatures.newSecret();
            if (report.requiresApproval() && approved == null) {
                UUID waiting = approvals.pendingDeployment(handle, caller.organizationId(), agentId, version).orElse(null);
                return new Started(null, version, spec, running, report, waiting, secret, blueprint.status(), true);
            }
            UUID deploymentId = deployments.insert(caller.organizationId(), agentId, version, kind, "InProgress",
                    caller.principal(), templateSet.version(), ruleSet.version(), null, secret);
            if (!running) {
                states.move(handle, blueprint, BlueprintStatus.Deploying);
            }
            return new Started(deploymentId, version, spec, running, report,
                    null, secret, blueprint.status());
        });
        if (!start.report().valid()) {
            metrics.deployment("rejected", (System.nanoTime() - started) / 1_000_000);
            throw new ValidationFailedException("blueprint version " + start.version()
                    + " fails validation; nothing was deployed", start.report().findings());
        }
        if (start.awaitsApproval()) {
            UUID approvalId = start.approvalId() != null ? start.approvalId()
                    : awaitApproval(caller, ruleSet, agentId, start.version(), start.spec(), start.report(),
                            start.callbackSecret());
            return new DeployResult(null, start.version(), start.status(), 0, (System.nanoTime() - started) / 1_000_000,
                    kind, approvalId, start.report().approvalReasons(), start.callbackSecret(),
                    RunTimeForecast.warnings(start.report(), List.of()), null);
        }

        CompiledAgent compiled;
        try {
            compiled = AgentCompiler.compile(templateSet, caller.organizationId(), agentId, start.deploymentId(),
                    start.version(), start.spec());
        } catch (AgentCompileException e) {
            recordFailure(caller, agentId, start, e, started);
            metrics.deployment("failed", (System.nanoTime() - started) / 1_000_000);
            throw new ApiException(422, "deploy_failed", "blueprint version " + start.version()
                    + " did not compile into an agent" + (start.wasRunning() ? "; the running version keeps serving" : "")
                    + ": " + e.errors().get(0), e.errors());
        }

        long deployMs = (System.nanoTime() - started) / 1_000_000;
        BlueprintStatus status = jdbi.inTransaction(handle -> {
            Blueprint blueprint = blueprints.lockForChange(handle, caller.organizationId(), agentId);
            // paused or resumed while it compiled: it keeps that run state; a first deployment goes live
            Blueprint live = blueprint.status().running() ? blueprint
                    : states.move(handle, blueprint, BlueprintStatus.Active);
            handle.attach(DeploymentDao.class).finish(start.deploymentId(), "Succeeded", (int) compiled.compileMillis(),
                    (int) deployMs, null);
            handle.attach(DeploymentDao.class).setDeployment(agentId, start.deploymentId());
            AgentAudit.record(auditLog, handle, caller, kind.equals("rollback") ? "agent.rolled_back" : "agent.deployed", agentId,
                    Map.of("deploymentId", start.deploymentId(), "blueprintVersion", start.version(),
                            "status", live.status(), "compileMs", compiled.compileMillis(), "deployMs", deployMs,
                            "templateVersion", templateSet.version()), start.report());
            AgentStates.announce(handle, live);
            return live.status();
        });
        // Registered only once the database agrees: a hot reload is this one replacement.
        sync.install(compiled);
        metrics.deployment("succeeded", deployMs);
        log.info("agent {} version {} deployed ({}; compile {} ms, deploy {} ms)", agentId, start.version(), kind,
                compiled.compileMillis(), deployMs);
        List<RunTimeForecast.Prediction> predictions = forecast.predict(ruleSet, compiled);
        return new DeployResult(start.deploymentId(), start.version(), status, compiled.compileMillis(), deployMs, kind,
                null, null, start.callbackSecret(), RunTimeForecast.warnings(start.report(), predictions), predictions);
    }

    /**
     * Puts the deployment in the approval queue (or finds the request already there for this
     * version). The routing rules run first, outside any transaction; the blueprint keeps its
     * status until an approver decides.
     */
    private UUID awaitApproval(Caller caller, RuleSet ruleSet, UUID agentId, int version, BlueprintSpec spec,
                               ValidationReport report, String secret) {
        var config = spec.actionConfig();
        double risk = switch (report.riskLevel()) {
            case High -> 0.9;
            case Medium -> 0.5;
            case Low -> 0.1;
        };
        ApprovalRequestFact fact = new ApprovalRequestFact("DEPLOYMENT", agentId.toString(), "",
                config.maxAllowedScope(), risk, config.requiredApprovals(), config.approvalTimeoutSeconds(),
                spec.industryProfile(),
                report.approvalReasons(), caller.principal(), caller.isAdmin());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("name", spec.name());
        summary.put("blueprintVersion", version);
        summary.put("riskLevel", report.riskLevel());
        summary.put("maxAllowedScope", config.maxAllowedScope());
        summary.put("allowedActionTypes", config.allowedActionTypes());
        summary.put("requesterIsAdmin", caller.isAdmin());
        RoutedRequest routed = approvals.route(ruleSet, new ApprovalRequest(fact, caller.organizationId(), agentId,
                null, version, summary, report.approvalReasons(), config.callbackUrl(), secret));
        return jdbi.inTransaction(handle -> {
            // the blueprint's lock makes two PMs asking at once raise one request
            blueprints.lockForChange(handle, caller.organizationId(), agentId);
            var pending = approvals.pendingDeployment(handle, caller.organizationId(), agentId, version);
            if (pending.isPresent()) {
                return pending.get();
            }
            UUID approvalId = approvals.raise(handle, caller, routed);
            AgentAudit.record(auditLog, handle, caller, "agent.deploy_requested", agentId, Map.of("approvalId", approvalId,
                    "blueprintVersion", version, "approvalReasons", report.approvalReasons()), report);
            return approvalId;
        });
    }

    private void recordFailure(Caller caller, UUID agentId, Started start, AgentCompileException e, long started) {
        long deployMs = (System.nanoTime() - started) / 1_000_000;
        jdbi.useTransaction(handle -> {
            Blueprint blueprint = blueprints.lockForChange(handle, caller.organizationId(), agentId);
            handle.attach(DeploymentDao.class).finish(start.deploymentId(), "Failed", null, (int) deployMs,
                    Json.write(Map.of("message", e.getMessage(), "errors", e.errors())));
            Blueprint after = start.wasRunning() ? blueprint : states.move(handle, blueprint, BlueprintStatus.Failed);
            AgentAudit.record(auditLog, handle, caller, "agent.deploy_failed", agentId, Map.of("deploymentId", start.deploymentId(),
                    "blueprintVersion", start.version(), "errors", e.errors(), "runningVersionKept", start.wasRunning()),
                    start.report());
            AgentStates.announce(handle, after);
        });
        log.warn("deployment {} of agent {} failed: {}", start.deploymentId(), agentId, e.errors());
    }


}
