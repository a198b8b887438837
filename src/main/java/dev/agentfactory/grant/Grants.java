package dev.agentfactory.grant;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.approval.ApprovalOutcome;
import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.web.ConflictException;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.NotFoundException;
import dev.agentfactory.web.Paging;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Standing grants: made when an approver approves an action with grant terms, used by later
 * proposals of the same action type (for that contact, or for the agent) that would otherwise wait
 * for a human and have no hard reason to, listed, revoked, expired by their deadline or last use.
 */
public final class Grants {
    private final Jdbi jdbi;
    private final AuditLog auditLog;

    public Grants(Jdbi jdbi, AuditLog auditLog) {
        this.jdbi = jdbi;
        this.auditLog = auditLog;
    }

    /** A use taken: what the decision's reasons name. */
    public record Use(UUID grantId, String grantedBy, int use, int maxUses) {
        public String reason() {
            return "standing grant " + grantId + " by " + grantedBy + " (use " + use + " of " + maxUses + ")";
        }
    }

    /** Takes a use of a grant covering this action, inside the decision's transaction (rolled back with it). */
    public static Optional<Use> use(Handle handle, UUID agentId, String actionType, String contactId) {
        return handle.attach(GrantDao.class).use(agentId, actionType, contactId)
                .map(row -> new Use(row.id(), row.grantedBy(), row.uses(), row.maxUses()));
    }

    /** Makes the grant an approval allowed, in the transaction that decides it. */
    public void create(Handle handle, ApprovalOutcome outcome) {
        var terms = outcome.grant();
        String actionType = outcome.summary().path("actionType").asText();
        JsonNode contact = outcome.summary().get("contactId");
        String contactId = terms.scope().equals("contact") && contact != null && contact.isTextual()
                ? contact.asText() : null;
        String scope = contactId == null ? "agent" : "contact";
        UUID id = handle.attach(GrantDao.class).insert(outcome.organizationId(), outcome.agentId(), actionType, scope,
                contactId, terms.maxUses(), terms.hours(), outcome.decidedBy(), outcome.approvalId(),
                outcome.decisionId());
        GrantDao.Row row = handle.attach(GrantDao.class).find(outcome.organizationId(), id).orElseThrow();
        Caller approver = new Caller(outcome.decidedBy(), outcome.organizationId(), null, java.util.Set.of(),
                null, null, "approval " + outcome.approvalId());
        auditLog.append(handle, AuditEvent.by(approver,
                "grant.created", "grant", id, null, Json.tree(view(row))).inOrganization(outcome.organizationId()));
    }

    public Paging.Page<Map<String, Object>> list(Caller caller, UUID agentId, boolean activeOnly, Paging paging) {
        return jdbi.withExtension(GrantDao.class, dao -> paging.of(
                dao.list(caller.organizationId(), agentId, activeOnly, paging.limit(), paging.offset()).stream()
                        .map(Grants::view).toList(),
                dao.count(caller.organizationId(), agentId, activeOnly)));
    }

    public Map<String, Object> get(Caller caller, UUID id) {
        return jdbi.withExtension(GrantDao.class, dao -> dao.find(caller.organizationId(), id))
                .map(Grants::view).orElseThrow(() -> new NotFoundException("grant " + id));
    }

    public Map<String, Object> revoke(Caller caller, UUID id) {
        return jdbi.inTransaction(handle -> {
            GrantDao dao = handle.attach(GrantDao.class);
            GrantDao.Row before = dao.find(caller.organizationId(), id).orElseThrow(() -> new NotFoundException("grant " + id));
            if (dao.revoke(caller.organizationId(), id, caller.principal()) == 0) {
                throw new ConflictException("grant " + id + " was revoked already (by " + before.revokedBy() + ")");
            }
            GrantDao.Row after = dao.find(caller.organizationId(), id).orElseThrow();
            auditLog.append(handle, AuditEvent.by(caller, "grant.revoked", "grant", id, Json.tree(view(before)),
                    Json.tree(view(after))));
            return view(after);
        });
    }

    static Map<String, Object> view(GrantDao.Row row) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", row.id());
        view.put("agentId", row.agentId());
        view.put("actionType", row.actionType());
        view.put("scope", row.scope());
        view.put("contactId", row.contactId());
        view.put("maxUses", row.maxUses());
        view.put("uses", row.uses());
        view.put("expiresAt", row.expiresAt());
        view.put("active", row.active());
        view.put("grantedBy", row.grantedBy());
        view.put("approvalId", row.approvalId());
        view.put("decisionId", row.decisionId());
        view.put("createdAt", row.createdAt());
        view.put("revokedAt", row.revokedAt());
        view.put("revokedBy", row.revokedBy());
        return view;
    }
}
