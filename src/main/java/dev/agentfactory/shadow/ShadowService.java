package dev.agentfactory.shadow;

import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.blueprint.Blueprint;
import dev.agentfactory.blueprint.BlueprintService;
import dev.agentfactory.db.TimeOrderedIds;
import dev.agentfactory.deployment.DeploymentService;
import dev.agentfactory.replay.AgentVersions;
import dev.agentfactory.replay.BundleVersions;
import dev.agentfactory.rules.BundlePublisher;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.ConflictException;
import dev.agentfactory.web.ForbiddenException;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.NotFoundException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Starts, reports on, promotes and drops shadows; every change with its audit entry in one transaction. */
public final class ShadowService {
    static final int MAX_DIFFERENCES = 1_000;

    private final Jdbi jdbi;
    private final AuditLog auditLog;
    private final ShadowRunner runner;
    private final BundleVersions bundles;
    private final AgentVersions agentVersions;
    private final BlueprintService blueprints;
    private final BundlePublisher publisher;
    private final DeploymentService deployments;

    public ShadowService(Jdbi jdbi, AuditLog auditLog, ShadowRunner runner, BundleVersions bundles,
                         BlueprintService blueprints, BundlePublisher publisher, DeploymentService deployments) {
        this.jdbi = jdbi;
        this.auditLog = auditLog;
        this.runner = runner;
        this.bundles = bundles;
        this.agentVersions = new AgentVersions(jdbi);
        this.blueprints = blueprints;
        this.publisher = publisher;
        this.deployments = deployments;
    }

    /** The body of {@code POST /api/shadows}: a stored bundle, or one agent's other version, or both. */
    public record Start(String bundleVersion, UUID agentId, Integer agentVersion) {
    }

    public record Difference(UUID decisionId, UUID agentId, String actionType, String live, String shadow,
                             List<String> onlyLive, List<String> onlyShadow, List<String> shadowReasons,
                             java.time.Instant at) {
    }

    /**
     * @param skipped live decisions the queue could not take (never evaluated against the candidate)
     * @param agreement the share of evaluated decisions the shadow decided as the live policy did
     */
    public record Report(ShadowDao.Row shadow, long evaluated, long agreed, long differed, long skipped,
                         double agreement, Map<String, Long> transitions, List<Difference> differences) {
    }

    public ShadowDao.Row start(Caller caller, Start request) {
        if (request == null || request.bundleVersion() == null && request.agentVersion() == null) {
            throw new BadRequestException("bundleVersion", "name a candidate: bundleVersion, or agentId with agentVersion");
        }
        if (request.agentVersion() != null && request.agentId() == null) {
            throw new BadRequestException("agentId", "is required with agentVersion");
        }
        if (request.agentId() != null) {
            blueprints.get(caller.organizationId(), request.agentId());
        }
        if (request.agentVersion() != null) {
            agentVersions.spec(caller.organizationId(), request.agentId(), request.agentVersion());
        }
        if (request.bundleVersion() != null) {
            // refused now, not later on the worker: a candidate that does not build never runs
            bundles.built(request.bundleVersion(), "shadow by " + caller.principal());
        }
        UUID id = TimeOrderedIds.next();
        ShadowDao.Row row = jdbi.inTransaction(handle -> {
            ShadowDao dao = handle.attach(ShadowDao.class);
            dao.insert(id, caller.organizationId(), request.bundleVersion(), request.agentId(), request.agentVersion(),
                    caller.principal());
            ShadowDao.Row started = dao.find(caller.organizationId(), id).orElseThrow();
            auditLog.append(handle, AuditEvent.by(caller, "shadow.started", "shadow", id, null, Json.tree(started)));
            return started;
        });
        runner.refresh();
        return row;
    }

    public List<ShadowDao.Row> list(Caller caller) {
        return jdbi.withExtension(ShadowDao.class, dao -> dao.list(caller.organizationId()));
    }

    public Report report(Caller caller, UUID id, int limit) {
        if (limit < 0 || limit > MAX_DIFFERENCES) {
            throw new BadRequestException("limit", "must be 0-" + MAX_DIFFERENCES);
        }
        return jdbi.withExtension(ShadowDao.class, dao -> {
            ShadowDao.Row row = dao.find(caller.organizationId(), id).orElseThrow(() -> notFound(id));
            Map<String, Long> transitions = new TreeMap<>();
            long evaluated = 0;
            long agreed = 0;
            for (ShadowDao.Transition t : dao.transitions(id)) {
                transitions.put(t.liveDecision() + "->" + t.shadowDecision(), t.count());
                evaluated += t.count();
                agreed += t.liveDecision().equals(t.shadowDecision()) ? t.count() : 0;
            }
            List<Difference> differences = dao.differences(id, limit).stream().map(ShadowService::difference).toList();
            return new Report(row, evaluated, agreed, evaluated - agreed, row.skipped() + runner.unflushedSkips(id),
                    evaluated == 0 ? 1.0 : (double) agreed / evaluated, transitions, differences);
        });
    }

    /**
     * Makes the candidate live: the bundle is activated for every instance (the system administrator
     * only, as any activation), the agent version deployed (it may wait for approval like any deploy).
     * The shadow then ends as promoted.
     */
    public Map<String, Object> promote(Caller caller, UUID id, String reason) {
        ShadowDao.Row row = running(caller, id);
        Object promoted = null;
        if (row.bundleVersion() != null) {
            if (!caller.systemAdmin()) {
                throw new ForbiddenException("activating a policy bundle switches every organization's rules: only the "
                        + "system administrator (the bootstrap admin) may promote a bundle shadow");
            }
            promoted = publisher.activate(caller, row.bundleVersion(), reason == null || reason.isBlank()
                    ? "promoted from shadow " + id : reason.strip());
        }
        if (row.agentVersion() != null) {
            Blueprint blueprint = blueprints.get(caller.organizationId(), row.agentId());
            promoted = blueprint.version() == row.agentVersion() ? deployments.deploy(caller, row.agentId())
                    : deployments.rollback(caller, row.agentId(), row.agentVersion());
        }
        ShadowDao.Row ended = end(caller, id, "promoted", "shadow.promoted");
        return Map.of("shadow", ended, "promoted", promoted);
    }

    public ShadowDao.Row drop(Caller caller, UUID id) {
        running(caller, id);
        return end(caller, id, "dropped", "shadow.dropped");
    }

    private ShadowDao.Row running(Caller caller, UUID id) {
        ShadowDao.Row row = jdbi.withExtension(ShadowDao.class, dao -> dao.find(caller.organizationId(), id))
                .orElseThrow(() -> notFound(id));
        if (!row.status().equals("running")) {
            throw new ConflictException("shadow " + id + " is " + row.status() + " already");
        }
        return row;
    }

    private ShadowDao.Row end(Caller caller, UUID id, String status, String action) {
        ShadowDao.Row ended = jdbi.inTransaction(handle -> {
            ShadowDao dao = handle.attach(ShadowDao.class);
            ShadowDao.Row before = dao.lock(caller.organizationId(), id).orElseThrow(() -> notFound(id));
            if (dao.end(id, status, caller.principal()) == 0) {
                throw new ConflictException("shadow " + id + " is " + before.status() + " already");
            }
            ShadowDao.Row after = dao.find(caller.organizationId(), id).orElseThrow();
            auditLog.append(handle, AuditEvent.by(caller, action, "shadow", id, Json.tree(before), Json.tree(after)));
            return after;
        });
        runner.refresh();
        return ended;
    }

    private static Difference difference(ShadowDao.Difference d) {
        List<String> live = List.of(Json.read(d.liveRules(), String[].class));
        List<String> shadow = List.of(Json.read(d.shadowRules(), String[].class));
        return new Difference(d.decisionId(), d.agentId(), d.actionType(), d.liveDecision(), d.shadowDecision(),
                live.stream().filter(r -> !shadow.contains(r)).toList(),
                shadow.stream().filter(r -> !live.contains(r)).toList(),
                List.of(Json.read(d.shadowReasons(), String[].class)), d.createdAt());
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("shadow " + id);
    }
}
