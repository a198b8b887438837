package dev.agentfactory.deployment;

import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.blueprint.Blueprint;
import dev.agentfactory.blueprint.BlueprintService;
import dev.agentfactory.blueprint.BlueprintStatus;
import dev.agentfactory.web.ConflictException;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Stops, pauses and resumes live agents; every change is audited and reaches this server's registry after it commits. */
public final class AgentLifecycle {
    private final Jdbi jdbi;
    private final BlueprintService blueprints;
    private final AgentRegistry registry;
    private final AuditLog auditLog;

    public AgentLifecycle(Jdbi jdbi, BlueprintService blueprints, AgentRegistry registry, AuditLog auditLog) {
        this.jdbi = jdbi;
        this.blueprints = blueprints;
        this.registry = registry;
        this.auditLog = auditLog;
    }

    /** Stops the agent and returns the blueprint to ReadyForDeployment (DELETE deprecates it for good). */
    public Blueprint undeploy(Caller caller, UUID agentId) {
        Blueprint after = jdbi.inTransaction(handle -> {
            Blueprint blueprint = requireRunning(handle, caller, agentId, "undeploy");
            DeploymentDao deployments = handle.attach(DeploymentDao.class);
            int version = registry.find(agentId).map(a -> a.compiled().blueprintVersion()).orElse(blueprint.version());
            deployments.insert(caller.organizationId(), agentId, version, "undeploy", "Succeeded", caller.principal(),
                    null, null, null, null);
            deployments.setDeployment(agentId, null);
            Blueprint stopped = blueprints.setStatus(handle, blueprint, BlueprintStatus.ReadyForDeployment);
            AgentAudit.record(auditLog, handle, caller, "agent.undeployed", agentId, Map.of("status", stopped.status(), "blueprintVersion",
                    version), null);
            return stopped;
        });
        registry.remove(agentId);
        return after;
    }

    public Blueprint pause(Caller caller, UUID agentId) {
        return setPaused(caller, agentId, true);
    }

    public Blueprint resume(Caller caller, UUID agentId) {
        return setPaused(caller, agentId, false);
    }

    private Blueprint setPaused(Caller caller, UUID agentId, boolean paused) {
        BlueprintStatus from = paused ? BlueprintStatus.Active : BlueprintStatus.Paused;
        BlueprintStatus to = paused ? BlueprintStatus.Paused : BlueprintStatus.Active;
        Blueprint after = jdbi.inTransaction(handle -> {
            Blueprint blueprint = blueprints.lockForChange(handle, caller.organizationId(), agentId);
            if (blueprint.status() == to) {
                return blueprint;
            }
            if (blueprint.status() != from) {
                throw new ConflictException("agent " + agentId + " is " + blueprint.status() + "; only an agent that is "
                        + from + " can be " + (paused ? "paused" : "resumed"));
            }
            Blueprint changed = blueprints.setStatus(handle, blueprint, to);
            AgentAudit.record(auditLog, handle, caller, paused ? "agent.paused" : "agent.resumed", agentId, Map.of("status", to), null);
            return changed;
        });
        registry.find(agentId).ifPresent(live -> registry.put(live.withPaused(paused)));
        return after;
    }

    private Blueprint requireRunning(Handle handle, Caller caller, UUID agentId, String verb) {
        Blueprint blueprint = blueprints.lockForChange(handle, caller.organizationId(), agentId);
        if (blueprint.status() != BlueprintStatus.Active && blueprint.status() != BlueprintStatus.Paused) {
            throw new ConflictException("agent " + agentId + " is " + blueprint.status() + "; nothing to " + verb);
        }
        return blueprint;
    }

}
