package dev.agentfactory.deployment;

import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.blueprint.Blueprint;
import dev.agentfactory.blueprint.BlueprintService;
import dev.agentfactory.blueprint.BlueprintStatus;
import dev.agentfactory.web.ConflictException;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Stops, pauses and resumes live agents. Every change is audited and announced to every instance
 * in its transaction, and reaches this server's registry right after it commits.
 */
public final class AgentLifecycle {
    private final Jdbi jdbi;
    private final BlueprintService blueprints;
    private final AgentStates states;
    private final AgentSync sync;
    private final AuditLog auditLog;

    public AgentLifecycle(Jdbi jdbi, BlueprintService blueprints, AgentStates states, AgentSync sync,
                          AuditLog auditLog) {
        this.jdbi = jdbi;
        this.blueprints = blueprints;
        this.states = states;
        this.sync = sync;
        this.auditLog = auditLog;
    }

    /** Stops the agent and returns the blueprint to ReadyForDeployment (DELETE deprecates it for good). */
    public Blueprint undeploy(Caller caller, UUID agentId) {
        Blueprint after = jdbi.inTransaction(handle -> {
            Blueprint blueprint = blueprints.lockForChange(handle, caller.organizationId(), agentId);
            if (!blueprint.status().running()) {
                throw new ConflictException("agent " + agentId + " is " + blueprint.status() + "; nothing to undeploy");
            }
            // an undeploy in the middle of a deployment would be undone when that finishes
            DeploymentDao deployments = handle.attach(DeploymentDao.class);
            deployments.failInterrupted(agentId);
            if (deployments.inProgress(agentId)) {
                throw new ConflictException("a deployment of agent " + agentId + " is in progress; undeploy it once"
                        + " that finished");
            }
            int version = blueprint.deploymentId() == null ? blueprint.version()
                    : deployments.find(blueprint.deploymentId()).map(DeploymentDao.Row::blueprintVersion)
                            .orElse(blueprint.version());
            deployments.insert(caller.organizationId(), agentId, version, "undeploy", "Succeeded", caller.principal(),
                    null, null, null, null);
            deployments.setDeployment(agentId, null);
            Blueprint stopped = states.move(handle, blueprint, BlueprintStatus.ReadyForDeployment);
            AgentAudit.record(auditLog, handle, caller, "agent.undeployed", agentId, Map.of("status", stopped.status(),
                    "blueprintVersion", version), null);
            AgentStates.announce(handle, stopped);
            return stopped;
        });
        sync.apply(agentId);
        return after;
    }

    /**
     * Pauses an Active agent, or one whose first deployment is compiling (it goes live paused).
     * Pausing an agent an emergency stop paused makes it paused by hand: lifting the stop leaves
     * it paused.
     */
    public Blueprint pause(Caller caller, UUID agentId) {
        Blueprint after = jdbi.inTransaction(handle -> {
            Blueprint blueprint = blueprints.lockForChange(handle, caller.organizationId(), agentId);
            if (blueprint.status() == BlueprintStatus.Paused) {
                if (handle.attach(DeploymentDao.class).pausedByStop(agentId)) {
                    states.move(handle, blueprint, BlueprintStatus.Paused);
                    AgentAudit.record(auditLog, handle, caller, "agent.paused", agentId, Map.of("status",
                            BlueprintStatus.Paused, "note", "paused by hand: stays paused when the emergency stop is"
                                    + " lifted"), null);
                }
                return blueprint;
            }
            if (!blueprint.status().canMoveTo(BlueprintStatus.Paused)) {
                throw new ConflictException("agent " + agentId + " is " + blueprint.status()
                        + "; only an agent that is Active (or being deployed) can be paused");
            }
            Blueprint paused = states.move(handle, blueprint, BlueprintStatus.Paused);
            AgentAudit.record(auditLog, handle, caller, "agent.paused", agentId, Map.of("status", paused.status()), null);
            AgentStates.announce(handle, paused);
            return paused;
        });
        sync.apply(agentId);
        return after;
    }

    public Blueprint resume(Caller caller, UUID agentId) {
        Blueprint after = jdbi.inTransaction(handle -> {
            Blueprint blueprint = blueprints.lockForChange(handle, caller.organizationId(), agentId);
            if (blueprint.status() == BlueprintStatus.Active) {
                return blueprint;
            }
            if (blueprint.status() != BlueprintStatus.Paused) {
                throw new ConflictException("agent " + agentId + " is " + blueprint.status()
                        + "; only an agent that is Paused can be resumed");
            }
            if (blueprint.deploymentId() == null) {
                throw new ConflictException("agent " + agentId + " is paused while its first deployment compiles;"
                        + " resume it once that finished");
            }
            Blueprint resumed = states.move(handle, blueprint, BlueprintStatus.Active);
            AgentAudit.record(auditLog, handle, caller, "agent.resumed", agentId, Map.of("status", resumed.status()), null);
            AgentStates.announce(handle, resumed);
            return resumed;
        });
        sync.apply(agentId);
        return after;
    }
}
