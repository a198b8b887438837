package dev.agentfactory.deployment;

import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.blueprint.Blueprint;
import dev.agentfactory.blueprint.BlueprintService;
import dev.agentfactory.blueprint.BlueprintStatus;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.ForbiddenException;
import dev.agentfactory.web.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiFunction;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The emergency brake: pauses every running agent of an organization (or, for the system
 * administrator, of every organization) in one transaction, with a reason, and lifts it again.
 * Each agent is audited in its organization, plus one summary in the caller's; every instance
 * applies it when the transaction commits (one {@code agents.changed} change).
 *
 * <p>An agent whose first deployment is compiling is paused too, and goes live paused. Lifting a
 * stop resumes only the agents an emergency stop paused and that nobody paused or resumed by hand
 * since: an agent paused on purpose stays paused.
 */
public final class EmergencyStop {
    static final int MAX_REASON = 1000;

    /** The body of every emergency-stop and resume-all call. */
    public record Request(String reason) {
    }

    /** @param scope {@code organization} or {@code system} */
    public record Stopped(UUID stopId, String scope, String reason, int paused, List<DeploymentDao.AgentRef> agents) {
        public Stopped {
            agents = List.copyOf(agents);
        }
    }

    /** @param stillPaused agents paused by hand, which stay paused */
    public record Resumed(String scope, String reason, int resumed, List<DeploymentDao.AgentRef> agents,
                          int stillPaused) {
        public Resumed {
            agents = List.copyOf(agents);
        }
    }

    private final Jdbi jdbi;
    private final BlueprintService blueprints;
    private final AgentStates states;
    private final AgentSync sync;
    private final AuditLog auditLog;

    public EmergencyStop(Jdbi jdbi, BlueprintService blueprints, AgentStates states, AgentSync sync,
                         AuditLog auditLog) {
        this.jdbi = jdbi;
        this.blueprints = blueprints;
        this.states = states;
        this.sync = sync;
        this.auditLog = auditLog;
    }

    /** Pauses every Active (or deploying) agent of the caller's organization, or with {@code system} of all. */
    public Stopped stop(Caller caller, Request request, boolean system) {
        UUID scope = scope(caller, system);
        String reason = reason(request);
        UUID stopId = UUID.randomUUID();
        List<DeploymentDao.AgentRef> paused = jdbi.inTransaction(handle -> {
            List<DeploymentDao.AgentRef> agents = handle.attach(DeploymentDao.class).lockToStop(scope);
            each(handle, agents, (agent, blueprint) -> {
                states.stop(handle, blueprint, stopId);
                return Map.of("status", BlueprintStatus.Paused, "emergencyStop", stopId, "reason", reason);
            }, caller, "agent.paused");
            Map<String, Object> summary = summary(reason, agents, system);
            summary.put("stopId", stopId);
            summary.put("paused", agents.size());
            auditLog.append(handle, system
                    ? AuditEvent.by(caller, "system.emergency_stopped", "system", "all", null, Json.tree(summary))
                    : AuditEvent.by(caller, "agents.emergency_stopped", "organization", scope, null, Json.tree(summary)));
            AgentStates.announceAll(handle, scope, "emergency stop " + stopId);
            return agents;
        });
        sync.applyAll(scope);
        return new Stopped(stopId, system ? "system" : "organization", reason, paused.size(), paused);
    }

    /** Resumes the agents an emergency stop paused, in the caller's organization or with {@code system} in all. */
    public Resumed resumeAll(Caller caller, Request request, boolean system) {
        UUID scope = scope(caller, system);
        String reason = reason(request);
        Resumed resumed = jdbi.inTransaction(handle -> {
            DeploymentDao deployments = handle.attach(DeploymentDao.class);
            // one whose first deployment is still compiling has nothing to resume yet: it stays marked
            List<DeploymentDao.AgentRef> agents = deployments.lockStopped(scope).stream()
                    .filter(agent -> blueprints.lockForChange(handle, agent.organizationId(), agent.agentId())
                            .deploymentId() != null)
                    .toList();
            each(handle, agents, (agent, blueprint) -> {
                states.move(handle, blueprint, BlueprintStatus.Active);
                return Map.of("status", BlueprintStatus.Active, "emergencyStopLifted", true, "reason", reason);
            }, caller, "agent.resumed");
            int stillPaused = deployments.pausedByHand(scope);
            Map<String, Object> summary = summary(reason, agents, system);
            summary.put("resumed", agents.size());
            summary.put("stillPausedByHand", stillPaused);
            auditLog.append(handle, system
                    ? AuditEvent.by(caller, "system.resumed_all", "system", "all", null, Json.tree(summary))
                    : AuditEvent.by(caller, "agents.resumed_all", "organization", scope, null, Json.tree(summary)));
            AgentStates.announceAll(handle, scope, "resume all");
            return new Resumed(system ? "system" : "organization", reason, agents.size(), agents, stillPaused);
        });
        sync.applyAll(scope);
        return resumed;
    }

    /** Moves each agent and audits it in its own organization, as the caller. */
    private void each(Handle handle, List<DeploymentDao.AgentRef> agents,
                      BiFunction<DeploymentDao.AgentRef, Blueprint, Map<String, Object>> move, Caller caller,
                      String action) {
        for (DeploymentDao.AgentRef agent : agents) {
            Blueprint before = blueprints.lockForChange(handle, agent.organizationId(), agent.agentId());
            Map<String, Object> after = move.apply(agent, before);
            auditLog.append(handle, AuditEvent.by(caller, action, "agent", agent.agentId(),
                    Json.tree(Map.of("status", before.status())), Json.tree(after)).inOrganization(agent.organizationId()));
        }
    }

    private static Map<String, Object> summary(String reason, List<DeploymentDao.AgentRef> agents, boolean system) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("reason", reason);
        if (system) {
            Map<UUID, Integer> byOrganization = new TreeMap<>();
            agents.forEach(agent -> byOrganization.merge(agent.organizationId(), 1, Integer::sum));
            summary.put("organizations", byOrganization);
        } else {
            summary.put("agents", new ArrayList<>(agents.stream().map(DeploymentDao.AgentRef::agentId).toList()));
        }
        return summary;
    }

    /** The organization the call acts on; null (every organization) only for the system administrator. */
    private static UUID scope(Caller caller, boolean system) {
        if (!system) {
            return caller.organizationId();
        }
        if (!caller.systemAdmin()) {
            throw new ForbiddenException("only the system administrator stops or resumes the agents of every"
                    + " organization; an organization's ADMIN uses /api/agents/emergency-stop and /api/agents/resume-all");
        }
        return null;
    }

    private static String reason(Request request) {
        String reason = request.reason() == null ? "" : request.reason().strip();
        if (reason.isEmpty()) {
            throw new BadRequestException("reason", "is required: say why (it goes into the audit trail)");
        }
        if (reason.length() > MAX_REASON) {
            throw new BadRequestException("reason", "must be at most " + MAX_REASON + " characters");
        }
        return reason;
    }
}
