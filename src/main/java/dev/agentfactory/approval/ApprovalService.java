package dev.agentfactory.approval;
import dev.agentfactory.rules.ExcludedVoter;

import dev.agentfactory.rules.Route;

import dev.agentfactory.rules.ApprovalRouter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.outbox.Outbox;
import dev.agentfactory.rules.RuleSet;
import dev.agentfactory.web.ApiException;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.ConflictException;
import dev.agentfactory.web.ForbiddenException;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.NotFoundException;
import dev.agentfactory.web.Paging;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The pending-approval queue. Votes, transitions, their audit entries, the callbacks they trigger
 * and the queue events all commit together; the request row is locked while a vote is counted,
 * so two approvers racing on the last vote make exactly one transition and the loser is told.
 */
public final class ApprovalService {
    public record Filter(String status, String kind, UUID agentId, String actionType) {
    }

    private final Jdbi jdbi;
    private final AuditLog auditLog;
    private final ApprovalOutcomes outcomes;

    public ApprovalService(Jdbi jdbi, AuditLog auditLog, ApprovalOutcomes outcomes) {
        this.jdbi = jdbi;
        this.auditLog = auditLog;
        this.outcomes = outcomes;
    }

    /**
     * Runs the routing rules for a request, with who is involved with the agent; call it before the
     * transaction that raises the request opens, so no transaction waits on the rules.
     */
    public RoutedRequest route(RuleSet rules, ApprovalRequest request) {
        return jdbi.withHandle(handle -> route(handle, rules, request));
    }

    /**
     * The same on a handle the caller holds: for a request that only turned out to be needed inside the
     * caller's transaction (a decision re-evaluated on history that changed under it).
     */
    public RoutedRequest route(Handle handle, RuleSet rules, ApprovalRequest request) {
        ApprovalDao dao = handle.attach(ApprovalDao.class);
        List<ApprovalDao.Involved> involved = dao.involved(request.organizationId(), new UUID[] {request.agentId()});
        Route route = ApprovalRouter.route(rules, SeparationOfDuties.withPeople(dao, request, involved));
        return new RoutedRequest(request, route, involved);
    }

    /** Stores a routed request inside the caller's transaction; returns its id. */
    public UUID raise(Handle handle, Caller caller, RoutedRequest routed) {
        ApprovalDao dao = handle.attach(ApprovalDao.class);
        ApprovalRequest request = routed.request();
        Route route = routed.route();
        List<ApprovalDao.Involved> involved = routed.involved();
        UUID id = dao.insert(request.organizationId(), request.fact().kind(), request.agentId(), request.decisionId(),
                request.blueprintVersion(), route.requiredApprovals(), route.approverRole(), route.priority(),
                request.fact().riskScore(), Json.write(request.summary()), Json.write(request.reasons()),
                caller.principal(), route.timeoutSeconds(), route.escalationRole(),
                route.escalationRole() == null ? null : route.escalationSeconds(), Json.write(route.rulesFired()),
                route.ruleSetVersion(), request.callbackUrl(), request.callbackSecret(), Json.write(route.excluded()),
                route.grantable() == null ? null : Json.write(Map.of("maxHours", route.grantable().maxHours(),
                        "maxUses", route.grantable().maxUses(), "ruleId", route.grantable().ruleId())));
        ApprovalDao.Row row = dao.find(request.organizationId(), id).orElseThrow();
        auditLog.append(handle, AuditEvent.by(caller, "approval.requested", "approval", id, null,
                Json.tree(toView(row, List.of(), SeparationOfDuties.excluded(row, involved))))
                .inOrganization(request.organizationId()).withRules(route.ruleSetVersion(), route.rulesFired()));
        ApprovalEvents.announce(handle, request.organizationId(), "created", row);
        return id;
    }

    public Paging.Page<ApprovalView> list(Caller caller, Filter filter, Paging paging) {
        String[] roles = caller.isAdmin() ? null : caller.roles().stream().map(Enum::name).toArray(String[]::new);
        return jdbi.withHandle(handle -> {
            ApprovalDao dao = handle.attach(ApprovalDao.class);
            List<ApprovalDao.Row> rows = dao.list(caller.organizationId(), filter.status(), filter.kind(),
                    filter.agentId(), filter.actionType(), roles, paging.limit(), paging.offset());
            Map<UUID, List<ApprovalDao.VoteRow>> votes = dao.votes(rows.stream().map(ApprovalDao.Row::id)
                    .toArray(UUID[]::new)).stream().collect(Collectors.groupingBy(ApprovalDao.VoteRow::approvalId));
            Map<UUID, List<ExcludedVoter>> excluded = SeparationOfDuties.of(dao, caller.organizationId(), rows);
            List<ApprovalView> items = rows.stream().map(row -> toView(row, votes.getOrDefault(row.id(), List.of()),
                    excluded.get(row.id()))).toList();
            return paging.of(items, dao.count(caller.organizationId(), filter.status(), filter.kind(), filter.agentId(),
                    filter.actionType(), roles));
        });
    }

    public ApprovalView get(Caller caller, UUID id) {
        return jdbi.withHandle(handle -> {
            ApprovalDao dao = handle.attach(ApprovalDao.class);
            ApprovalDao.Row row = dao.find(caller.organizationId(), id).orElseThrow(() -> notFound(id));
            return toView(row, dao.votes(id), SeparationOfDuties.of(dao, row));
        });
    }

    private record Voted(ApprovalView view, ApprovalOutcome outcome) {
    }

    /** The pending request for this version of an agent's deployment, if one waits already. */
    public java.util.Optional<UUID> pendingDeployment(Handle handle, UUID organizationId, UUID agentId, int version) {
        return handle.attach(ApprovalDao.class).pendingDeployment(organizationId, agentId, version);
    }

    /**
     * A vote; an approve vote with a {@code payload} approves the action changed to it (edit, then
     * approve), once the package that raised the request re-checked it, before the transaction opens.
     */
    public ApprovalView vote(Caller caller, UUID id, boolean approve, String comment, JsonNode payload,
                             GrantTerms grant) {
        if (!approve && (comment == null || comment.isBlank())) {
            throw new BadRequestException("comment", "a rejection needs a comment saying why");
        }
        if (comment != null && comment.length() > 2000) {
            throw new BadRequestException("comment", "must be at most 2000 characters");
        }
        ApprovalEditCheck.Rechecked rechecked = payload == null ? null : recheck(caller, id, payload);
        Voted voted = jdbi.inTransaction(handle -> {
            ApprovalDao dao = handle.attach(ApprovalDao.class);
            dao.lock(caller.organizationId(), id).orElseThrow(() -> notFound(id));
            ApprovalDao.Row row = dao.find(caller.organizationId(), id).orElseThrow();
            List<ExcludedVoter> excluded = checkMayVote(dao, caller, row);
            if (grant != null) {
                checkGrant(row, grant);
            }
            if (dao.vote(id, caller.organizationId(), caller.principal(), approve ? "approve" : "reject", comment,
                    payload == null ? null : Json.write(payload), grant == null ? null : Json.write(grant)) == 0) {
                throw new ConflictException("you have already voted on this request",
                        List.of(Map.of("status", row.status())));
            }
            Map<String, Object> cast = new LinkedHashMap<>();
            cast.put("vote", approve ? "approve" : "reject");
            cast.put("comment", comment == null ? "" : comment);
            if (grant != null) {
                cast.put("grant", grant);
            }
            auditLog.append(handle, AuditEvent.by(caller, "approval.voted", "approval", id, null, Json.tree(cast)));
            if (payload != null) {
                Map<String, Object> after = new LinkedHashMap<>();
                after.put("payload", payload);
                after.put("recheck", rechecked);
                auditLog.append(handle, AuditEvent.by(caller, "approval.edited", "approval", id,
                        Json.tree(Map.of("payload", Json.read(row.summary(), JsonNode.class).path("payload"))),
                        Json.tree(after)).withRules(rechecked.ruleSetVersion(), rechecked.rulesFired()));
            }
            String status = !approve ? "rejected" : row.approvals() + 1 >= row.requiredApprovals() ? "approved" : null;
            ApprovalOutcome outcome = null;
            if (status != null) {
                dao.decide(id, status, caller.principal());
                outcome = conclude(handle, row, ApprovalStatus.of(status), caller.principal(),
                        status.equals("approved") ? approvedPayload(dao.votes(id)) : null,
                        status.equals("approved") ? grantTerms(dao.votes(id)) : null);
                auditLog.append(handle, AuditEvent.by(caller, "approval." + status, "approval", id,
                        Json.tree(Map.of("status", "pending")), Json.tree(Map.of("status", status))));
            }
            ApprovalDao.Row after = dao.find(caller.organizationId(), id).orElseThrow();
            ApprovalEvents.announce(handle, caller.organizationId(), status == null ? "voted" : "decided", after);
            return new Voted(toView(after, dao.votes(id), excluded), outcome);
        });
        if (voted.outcome() != null) {
            outcomes.committed(voted.outcome());
        }
        return voted.view();
    }

    /** How many requests past their deadline one {@link #sweep()} handles at most. */
    static final int SWEEP_BATCH = 100;

    /**
     * Expires (or escalates once) requests past their deadline, whoever reads the queue, at most
     * {@link #SWEEP_BATCH} at a time. Returns how many it handled.
     */
    public int sweep() {
        List<ApprovalOutcome> expired = new java.util.ArrayList<>();
        int swept = jdbi.inTransaction(handle -> {
            ApprovalDao dao = handle.attach(ApprovalDao.class);
            int handled = 0;
            for (ApprovalDao.Due due : dao.due(SWEEP_BATCH)) {
                ApprovalDao.Row row = dao.find(due.organizationId(), due.id()).orElseThrow();
                Caller system = Caller.system(due.organizationId(), "approval-sweeper");
                if (row.escalationRole() != null && !row.escalated()) {
                    dao.escalate(row.id());
                    auditLog.append(handle, AuditEvent.by(system, "approval.escalated", "approval", row.id(),
                            Json.tree(Map.of("approverRole", row.approverRole())),
                            Json.tree(Map.of("approverRole", row.escalationRole(), "extraSeconds", row.escalationSeconds()))));
                    ApprovalEvents.announce(handle, due.organizationId(), "escalated",
                            dao.find(due.organizationId(), due.id()).orElseThrow());
                } else {
                    dao.decide(row.id(), "expired", "system");
                    expired.add(conclude(handle, row, ApprovalStatus.EXPIRED, "system", null, null));
                    auditLog.append(handle, AuditEvent.by(system, "approval.expired", "approval", row.id(),
                            Json.tree(Map.of("status", "pending")), Json.tree(Map.of("status", "expired"))));
                    ApprovalEvents.announce(handle, due.organizationId(), "expired",
                            dao.find(due.organizationId(), due.id()).orElseThrow());
                }
                handled++;
            }
            return handled;
        });
        expired.forEach(outcomes::committed);
        return swept;
    }

    /**
     * Tells the package that raised the request (in this transaction) and sends the callback that
     * reports the outcome; returns the outcome for the handlers that run after the commit.
     */
    private ApprovalOutcome conclude(Handle handle, ApprovalDao.Row row, ApprovalStatus status, String by,
                                     JsonNode approvedPayload, GrantTerms grant) {
        ApprovalOutcome outcome = new ApprovalOutcome(row.id(), row.organizationId(), row.kind(), row.agentId(),
                row.decisionId(), row.blueprintVersion(), status, by, row.requestedBy(),
                Json.read(row.summary(), JsonNode.class), row.callbackSecret(), approvedPayload, grant);
        outcomes.decided(handle, outcome);
        if (row.callbackUrl() != null && row.callbackSecret() != null) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("event", "approval." + status.value());
            payload.put("approvalId", row.id());
            payload.put("kind", row.kind());
            payload.put("status", status.value());
            payload.put("agentId", row.agentId());
            payload.put("decisionId", row.decisionId());
            payload.put("blueprintVersion", row.blueprintVersion());
            payload.put("decidedBy", by);
            if (approvedPayload != null) {
                payload.put("approvedPayload", approvedPayload);
            }
            Outbox.enqueue(handle, row.organizationId(), row.agentId(), row.callbackUrl(), row.callbackSecret(),
                    "approval." + status.value(), payload);
        }
        return outcome;
    }

    /** The latest standing grant an approver allowed with the approval, or null. */
    private static GrantTerms grantTerms(List<ApprovalDao.VoteRow> votes) {
        GrantTerms latest = null;
        for (ApprovalDao.VoteRow vote : votes) {
            if (vote.vote().equals("approve") && vote.grantTerms() != null) {
                latest = Json.read(vote.grantTerms(), GrantTerms.class);
            }
        }
        return latest;
    }

    /** A grant goes no further than the routing rules allowed for this request (none for a hard reason). */
    private static void checkGrant(ApprovalDao.Row row, GrantTerms grant) {
        if (row.grantLimits() == null) {
            throw new ApiException(422, "not_grantable", "the routing rules do not allow a standing grant for this"
                    + " request (never for a deployment or an action with a hard reason); approve it without grant",
                    List.of(Map.of("field", "grant", "problem", "not allowed for this request")));
        }
        JsonNode limits = Json.read(row.grantLimits(), JsonNode.class);
        if (grant.hours() > limits.get("maxHours").asInt()) {
            throw new BadRequestException("grant.hours", "must be at most " + limits.get("maxHours").asInt()
                    + " (" + limits.path("ruleId").asText() + ")");
        }
        if (grant.maxUses() > limits.get("maxUses").asInt()) {
            throw new BadRequestException("grant.maxUses", "must be at most " + limits.get("maxUses").asInt()
                    + " (" + limits.path("ruleId").asText() + ")");
        }
    }

    /** The latest payload an approver changed the action to, or null when nobody edited it. */
    private static JsonNode approvedPayload(List<ApprovalDao.VoteRow> votes) {
        JsonNode latest = null;
        for (ApprovalDao.VoteRow vote : votes) {
            if (vote.vote().equals("approve") && vote.payload() != null) {
                latest = Json.read(vote.payload(), JsonNode.class);
            }
        }
        return latest;
    }

    /**
     * Runs the raising package's re-check of an edited payload; only a caller who may vote on the request
     * gets that far (the vote's transaction checks again).
     */
    private ApprovalEditCheck.Rechecked recheck(Caller caller, UUID id, JsonNode payload) {
        ApprovalDao.Row row = jdbi.withExtension(ApprovalDao.class, dao -> {
            ApprovalDao.Row found = dao.find(caller.organizationId(), id).orElseThrow(() -> notFound(id));
            checkMayVote(dao, caller, found);
            return found;
        });
        ApprovalEditCheck check = outcomes.editCheck(row.kind()).orElseThrow(() -> new BadRequestException("payload",
                "a " + row.kind() + " request cannot be edited; approve or reject it as it is"));
        if (row.decisionId() == null) {
            throw new BadRequestException("payload", "this request has no action to edit");
        }
        return check.check(row.organizationId(), row.agentId(), row.decisionId(), payload);
    }

    /**
     * The caller may vote now: it holds the request's role, the request is pending, separation of duties
     * allows it. Returns who may not vote.
     */
    private static List<ExcludedVoter> checkMayVote(ApprovalDao dao, Caller caller, ApprovalDao.Row row) {
        if (!mayDecide(caller, row.approverRole())) {
            throw new ForbiddenException("this request is for the " + row.approverRole() + " group");
        }
        if (!row.status().equals("pending")) {
            throw new ConflictException("the request is " + row.status() + (row.decidedBy() == null ? ""
                    : " (by " + row.decidedBy() + ")") + "; it takes no more votes",
                    List.of(Map.of("status", row.status())));
        }
        List<ExcludedVoter> excluded = SeparationOfDuties.of(dao, row);
        List<String> barred = SeparationOfDuties.reasons(excluded, caller.principal());
        if (!barred.isEmpty()) {
            throw new ForbiddenException(caller.principal() + " may not vote on this request: "
                    + barred.stream().map(reason -> caller.principal() + " " + reason).collect(Collectors.joining("; "))
                    + ". Separation of duties: someone else must decide it (the request's excludedVoters lists"
                    + " who may not vote)");
        }
        return excluded;
    }

    private static boolean mayDecide(Caller caller, String approverRole) {
        return caller.isAdmin() || caller.roles().stream().anyMatch(role -> role.name().equals(approverRole));
    }

    static ApprovalView toView(ApprovalDao.Row row, List<ApprovalDao.VoteRow> votes, List<ExcludedVoter> excluded) {
        return new ApprovalView(row.id(), row.kind(), row.status(), row.agentId(), row.agentName(), row.decisionId(),
                row.blueprintVersion(), Json.read(row.summary(), JsonNode.class), row.riskScore(),
                Json.read(row.reasons(), JsonNode.class), row.requiredApprovals(), row.approvals(),
                votes.stream().map(v -> new ApprovalView.Vote(v.principal(), v.vote(), v.comment(), v.createdAt(),
                        v.payload() == null ? null : Json.read(v.payload(), JsonNode.class),
                        v.grantTerms() == null ? null : Json.read(v.grantTerms(), JsonNode.class))).toList(),
                row.approverRole(), row.priority(), row.escalated(), row.requestedBy(), row.createdAt(), row.expiresAt(),
                row.decidedAt(), row.decidedBy(), Json.read(row.rulesFired(), JsonNode.class), excluded,
                row.grantLimits() == null ? null : Json.read(row.grantLimits(), JsonNode.class));
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("approval " + id);
    }

}
