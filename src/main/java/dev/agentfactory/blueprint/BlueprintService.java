package dev.agentfactory.blueprint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.web.ConflictException;
import dev.agentfactory.web.FieldProblem;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.JsonBody;
import dev.agentfactory.web.MergePatch;
import dev.agentfactory.web.NotFoundException;
import dev.agentfactory.web.Paging;
import dev.agentfactory.web.PreconditionFailedException;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Blueprint storage with git-like history: every content change is a new immutable version,
 * written with its audit entry in one transaction.
 */
public final class BlueprintService {
    private final Jdbi jdbi;
    private final AuditLog auditLog;

    public BlueprintService(Jdbi jdbi, AuditLog auditLog) {
        this.jdbi = jdbi;
        this.auditLog = auditLog;
    }

    public Blueprint create(Caller caller, BlueprintSpec spec) {
        BlueprintSpecCheck.requireValid(spec);
        return jdbi.inTransaction(handle -> {
            BlueprintDao dao = handle.attach(BlueprintDao.class);
            Blueprint created = toBlueprint(dao.insert(UUID.randomUUID(), caller.organizationId(), spec.name(),
                    spec.industryProfile().name(), Json.write(spec), caller.principal()));
            recordVersion(dao, created, caller);
            auditLog.append(handle, AuditEvent.by(caller, "blueprint.created", "blueprint", created.id(),
                    null, Json.tree(created)));
            return created;
        });
    }

    public Blueprint get(UUID organizationId, UUID id) {
        return jdbi.withExtension(BlueprintDao.class, dao -> dao.find(organizationId, id))
                .map(BlueprintService::toBlueprint)
                .orElseThrow(() -> notFound(id));
    }

    public Paging.Page<Blueprint> list(UUID organizationId, BlueprintFilter filter, Paging paging) {
        String status = filter.status() == null ? null : filter.status().name();
        String industry = filter.industryProfile() == null ? null : filter.industryProfile().name();
        return jdbi.withExtension(BlueprintDao.class, dao -> paging.of(
                dao.list(organizationId, status, filter.createdBy(), industry, paging.limit(), paging.offset())
                        .stream().map(BlueprintService::toBlueprint).toList(),
                dao.count(organizationId, status, filter.createdBy(), industry)));
    }

    /**
     * Replaces the blueprint's content, making a new version.
     *
     * @param expectedVersion from {@code If-Match} or the body's {@code version}; a stale one is a 412
     */
    public Blueprint update(Caller caller, UUID id, BlueprintSpec spec, OptionalInt expectedVersion) {
        BlueprintSpecCheck.requireValid(spec);
        return change(caller, id, expectedVersion, before -> spec);
    }

    /**
     * Applies a JSON Merge Patch (RFC 7396) to the blueprint's current content, making a new version:
     * members the patch does not name keep their values, a {@code null} member takes its default.
     * The patch is applied under the row lock, so two concurrent patches both land.
     *
     * @param expectedVersion from {@code If-Match} or the patch's {@code version}; a stale one is a 412
     */
    public Blueprint patch(Caller caller, UUID id, JsonNode mergePatch, OptionalInt expectedVersion) {
        return change(caller, id, expectedVersion, before -> {
            BlueprintSpec spec = JsonBody.convert(MergePatch.apply(Json.tree(before.spec()), mergePatch),
                    BlueprintSpec.class);
            BlueprintSpecCheck.requireValid(spec);
            return spec;
        });
    }

    private Blueprint change(Caller caller, UUID id, OptionalInt expectedVersion,
                             Function<Blueprint, BlueprintSpec> edit) {
        return jdbi.inTransaction(handle -> {
            BlueprintDao dao = handle.attach(BlueprintDao.class);
            Blueprint before = lockForChange(dao, caller.organizationId(), id);
            if (expectedVersion.isPresent() && expectedVersion.getAsInt() != before.version()) {
                throw new PreconditionFailedException("blueprint " + id + " is at version " + before.version()
                        + ", not " + expectedVersion.getAsInt() + "; fetch it again and reapply your change",
                        List.of(new FieldProblem("If-Match", "current version is " + before.version())));
            }
            BlueprintSpec spec = edit.apply(before);
            BlueprintStatus status = before.status().afterEdit();
            Blueprint after = toBlueprint(dao.updateSpec(caller.organizationId(), id, spec.name(),
                    spec.industryProfile().name(), Json.write(spec), status.name(), caller.principal()));
            recordVersion(dao, after, caller);
            auditLog.append(handle, AuditEvent.by(caller, "blueprint.updated", "blueprint", id,
                    Json.tree(before), Json.tree(after)));
            return after;
        });
    }

    /** Soft delete: the blueprint becomes Deprecated and keeps its history. Repeating it changes nothing. */
    public void deprecate(Caller caller, UUID id) {
        jdbi.useTransaction(handle -> {
            BlueprintDao dao = handle.attach(BlueprintDao.class);
            Blueprint before = toBlueprint(dao.findForUpdate(caller.organizationId(), id)
                    .orElseThrow(() -> notFound(id)));
            if (before.status() == BlueprintStatus.Deprecated) {
                return;
            }
            if (!before.status().canMoveTo(BlueprintStatus.Deprecated)) {
                throw new ConflictException("agent " + id + " is " + before.status()
                        + ": undeploy it (POST /api/agents/" + id + "/undeploy) before deleting it");
            }
            Blueprint after = setStatus(handle, before, BlueprintStatus.Deprecated);
            auditLog.append(handle, AuditEvent.by(caller, "blueprint.deprecated", "blueprint", id,
                    Json.tree(before), Json.tree(after)));
        });
    }

    /**
     * Moves a blueprint to another status inside the caller's transaction (no new version): the one
     * writer of a status, refusing what {@link BlueprintStatus#transition} does not allow. Run-state
     * changes go through {@code deployment.AgentStates}, which also tells the other instances.
     */
    public Blueprint setStatus(Handle handle, Blueprint blueprint, BlueprintStatus status) {
        return toBlueprint(handle.attach(BlueprintDao.class)
                .updateStatus(blueprint.organizationId(), blueprint.id(), blueprint.status().transition(status).name()));
    }

    public List<BlueprintVersion> versions(UUID organizationId, UUID id) {
        return jdbi.withExtension(BlueprintDao.class, dao -> {
            dao.find(organizationId, id).orElseThrow(() -> notFound(id));
            return dao.versions(organizationId, id).stream().map(BlueprintService::toVersion).toList();
        });
    }

    public BlueprintVersion version(UUID organizationId, UUID id, int version) {
        return jdbi.withExtension(BlueprintDao.class, dao -> dao.version(organizationId, id, version))
                .map(BlueprintService::toVersion)
                .orElseThrow(() -> new NotFoundException("version " + version + " of blueprint " + id));
    }

    /**
     * The blueprint, row-locked until the caller's transaction ends; 404 when it does not exist in
     * the organization, 409 when it is Deprecated.
     */
    public Blueprint lockForChange(Handle handle, UUID organizationId, UUID id) {
        return lockForChange(handle.attach(BlueprintDao.class), organizationId, id);
    }

    /** The content of one stored version (404 when there is no such version). */
    public BlueprintSpec versionSpec(UUID organizationId, UUID id, int version) {
        JsonNode snapshot = version(organizationId, id, version).blueprint();
        try {
            return Json.MAPPER.treeToValue(snapshot, BlueprintSpec.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored snapshot " + id + " v" + version + " is unreadable", e);
        }
    }

    private static Blueprint lockForChange(BlueprintDao dao, UUID organizationId, UUID id) {
        Blueprint current = toBlueprint(dao.findForUpdate(organizationId, id).orElseThrow(() -> notFound(id)));
        if (current.status() == BlueprintStatus.Deprecated) {
            throw new ConflictException("blueprint " + id + " is Deprecated and can no longer change");
        }
        return current;
    }

    private static void recordVersion(BlueprintDao dao, Blueprint blueprint, Caller caller) {
        dao.insertVersion(blueprint.id(), blueprint.version(), blueprint.organizationId(), Json.write(blueprint),
                caller.principal());
    }

    static Blueprint toBlueprint(BlueprintDao.Row row) {
        return new Blueprint(row.id(), row.organizationId(), Json.read(row.spec(), BlueprintSpec.class),
                BlueprintStatus.valueOf(row.status()), row.version(), row.createdBy(), row.createdAt(),
                row.lastModified(), row.modifiedBy(), row.deploymentId());
    }

    private static BlueprintVersion toVersion(BlueprintDao.VersionRow row) {
        return new BlueprintVersion(row.version(), row.createdAt(), row.createdBy(),
                Json.read(row.snapshot(), JsonNode.class));
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("blueprint " + id);
    }
}
