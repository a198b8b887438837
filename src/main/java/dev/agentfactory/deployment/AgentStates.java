package dev.agentfactory.deployment;

import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.blueprint.Blueprint;
import dev.agentfactory.blueprint.BlueprintService;
import dev.agentfactory.blueprint.BlueprintStatus;
import dev.agentfactory.cluster.ChangeLog;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of an agent's run state. Every deploy, hot redeploy, rollback, pause, resume,
 * undeploy and failure moves the blueprint here ({@link BlueprintStatus#transition} refuses what is
 * not allowed) and then {@link #announce}s it, last in the same transaction, so every instance
 * sharing the database makes its live agents match ({@link AgentSync}).
 */
public final class AgentStates {
    private static final Logger log = LoggerFactory.getLogger(AgentStates.class);

    /** One agent changed: the subject is its id. */
    static final String CHANGED = "agent.changed";
    /** Many agents of one organization (or, without an organization, of all) changed at once. */
    static final String ALL_CHANGED = "agents.changed";

    private final Jdbi jdbi;
    private final BlueprintService blueprints;
    private final AuditLog auditLog;

    public AgentStates(Jdbi jdbi, BlueprintService blueprints, AuditLog auditLog) {
        this.jdbi = jdbi;
        this.blueprints = blueprints;
        this.auditLog = auditLog;
    }

    /** Moves the (locked) blueprint to {@code to}; whatever paused it, an emergency stop no longer does. */
    Blueprint move(Handle handle, Blueprint blueprint, BlueprintStatus to) {
        Blueprint moved = blueprints.setStatus(handle, blueprint, to);
        handle.attach(DeploymentDao.class).setPausedBy(blueprint.id(), null);
        return moved;
    }

    /** Pauses the (locked) blueprint for emergency stop {@code stopId}: lifting that stop resumes it. */
    Blueprint stop(Handle handle, Blueprint blueprint, UUID stopId) {
        Blueprint moved = blueprints.setStatus(handle, blueprint, BlueprintStatus.Paused);
        handle.attach(DeploymentDao.class).setPausedBy(blueprint.id(), stopId);
        return moved;
    }

    /** Every instance makes this agent match the database once the transaction commits. Call it last. */
    static void announce(Handle handle, Blueprint blueprint) {
        ChangeLog.record(handle, CHANGED, blueprint.organizationId(), blueprint.id().toString());
    }

    /** Every instance makes all agents of the organization (null: of every organization) match. Call it last. */
    static void announceAll(Handle handle, UUID organizationId, String why) {
        ChangeLog.record(handle, ALL_CHANGED, organizationId, why);
    }

    /**
     * At start-up: every agent whose first deployment a crash (of any instance) cut off, left
     * {@link #interrupted} with nothing running, is Failed, audited by the server, so it can be
     * deployed again. (A deploy repairs its own agent the same way first.)
     */
    public int recoverInterrupted() {
        jdbi.useHandle(handle -> handle.attach(DeploymentDao.class).failInterrupted(null));
        int recovered = 0;
        for (DeploymentDao.AgentRef stuck : jdbi.withExtension(DeploymentDao.class, DeploymentDao::stuckDeploying)) {
            boolean failed = jdbi.inTransaction(handle -> {
                Blueprint blueprint = blueprints.lockForChange(handle, stuck.organizationId(), stuck.agentId());
                if (!interrupted(blueprint) || handle.attach(DeploymentDao.class).inProgress(stuck.agentId())) {
                    return false;
                }
                failInterrupted(handle, Caller.system(stuck.organizationId(), "start-up"), blueprint);
                return true;
            });
            recovered += failed ? 1 : 0;
        }
        if (recovered > 0) {
            log.warn("{} agents were left Deploying by an interrupted deployment and are now Failed", recovered);
        }
        return recovered;
    }

    /**
     * Whether a blueprint with no deployment in progress was left by an interrupted first deployment:
     * Deploying, or paused (by an emergency stop) while it compiled.
     */
    static boolean interrupted(Blueprint blueprint) {
        return blueprint.deploymentId() == null
                && (blueprint.status() == BlueprintStatus.Deploying || blueprint.status() == BlueprintStatus.Paused);
    }

    /**
     * The (locked) blueprint is {@link #interrupted}: it becomes Failed. Nothing of it runs
     * on any instance, so there is nothing to announce (and a deploy goes on in this transaction).
     */
    Blueprint failInterrupted(Handle handle, Caller caller, Blueprint blueprint) {
        Blueprint failed = move(handle, blueprint, BlueprintStatus.Failed);
        AgentAudit.record(auditLog, handle, caller, "agent.deploy_failed", blueprint.id(), Map.of(
                "status", failed.status(), "error", "interrupted: the server stopped during the deployment"), null);
        return failed;
    }
}
