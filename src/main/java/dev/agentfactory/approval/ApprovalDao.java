package dev.agentfactory.approval;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(ApprovalDao.Row.class)
@RegisterConstructorMapper(ApprovalDao.VoteRow.class)
public interface ApprovalDao {

    record Row(UUID id, UUID organizationId, String kind, UUID agentId, String agentName, UUID decisionId,
               Integer blueprintVersion, String status, int requiredApprovals, String approverRole, int priority,
               double riskScore, String summary, String reasons, String requestedBy, Instant createdAt,
               Instant expiresAt, Instant decidedAt, String decidedBy, String escalationRole, Long escalationSeconds,
               boolean escalated, String rulesFired, String ruleSetVersion, String callbackUrl, String callbackSecret,
               String excluded, int approvals, String grantLimits) {
    }

    record VoteRow(UUID approvalId, String principal, String vote, String comment, Instant createdAt, String payload,
                   String grantTerms) {
    }

    @SqlQuery("""
            insert into approvals (organization_id, kind, agent_id, decision_id, blueprint_version, status,
                                   required_approvals, approver_role, priority, risk_score, summary, reasons,
                                   requested_by, expires_at, escalation_role, escalation_seconds, rules_fired,
                                   rule_set_version, callback_url, callback_secret, excluded, grant_limits)
            values (:organizationId, :kind, :agentId, :decisionId, :blueprintVersion, 'pending', :requiredApprovals,
                    :approverRole, :priority, :riskScore, cast(:summary as jsonb), cast(:reasons as jsonb),
                    :requestedBy, now() + make_interval(secs => :timeoutSeconds), :escalationRole,
                    :escalationSeconds, cast(:rulesFired as jsonb), :ruleSetVersion, :callbackUrl, :callbackSecret,
                    cast(:excluded as jsonb), cast(:grantLimits as jsonb))
            returning id
            """)
    UUID insert(@Bind("organizationId") UUID organizationId, @Bind("kind") String kind, @Bind("agentId") UUID agentId,
                @Bind("decisionId") UUID decisionId, @Bind("blueprintVersion") int blueprintVersion,
                @Bind("requiredApprovals") int requiredApprovals, @Bind("approverRole") String approverRole,
                @Bind("priority") int priority, @Bind("riskScore") double riskScore, @Bind("summary") String summary,
                @Bind("reasons") String reasons, @Bind("requestedBy") String requestedBy,
                @Bind("timeoutSeconds") long timeoutSeconds, @Bind("escalationRole") String escalationRole,
                @Bind("escalationSeconds") Long escalationSeconds, @Bind("rulesFired") String rulesFired,
                @Bind("ruleSetVersion") String ruleSetVersion, @Bind("callbackUrl") String callbackUrl,
                @Bind("callbackSecret") String callbackSecret, @Bind("excluded") String excluded,
                @Bind("grantLimits") String grantLimits);

    String SELECT = """
            select a.id, a.organization_id, a.kind, a.agent_id, b.name as agent_name, a.decision_id,
                   a.blueprint_version, a.status, a.required_approvals, a.approver_role, a.priority, a.risk_score,
                   a.summary::text as summary, a.reasons::text as reasons, a.requested_by, a.created_at, a.expires_at,
                   a.decided_at, a.decided_by, a.escalation_role, a.escalation_seconds, a.escalated,
                   a.rules_fired::text as rules_fired, a.rule_set_version, a.callback_url, a.callback_secret,
                   a.excluded::text as excluded, a.grant_limits::text as grant_limits,
                   (select count(*) from approval_votes v where v.approval_id = a.id and v.vote = 'approve') as approvals
              from approvals a join blueprints b on b.id = a.agent_id
            """;

    @SqlQuery(SELECT + " where a.organization_id = :organizationId and a.id = :id")
    Optional<Row> find(@Bind("organizationId") UUID organizationId, @Bind("id") UUID id);

    @SqlQuery("select id from approvals where organization_id = :organizationId and id = :id for update")
    Optional<UUID> lock(@Bind("organizationId") UUID organizationId, @Bind("id") UUID id);

    /** The queue: highest priority and risk first, then oldest. {@code roles} null means every role (ADMIN). */
    String FILTER = """
             where a.organization_id = :organizationId
               and (cast(:status as text) is null or a.status = :status)
               and (cast(:kind as text) is null or a.kind = :kind)
               and (cast(:agentId as uuid) is null or a.agent_id = :agentId)
               and (cast(:actionType as text) is null or a.summary ->> 'actionType' = :actionType)
               and (cast(:roles as text[]) is null or a.approver_role = any(:roles))
            """;

    @SqlQuery(SELECT + FILTER + " order by a.priority desc, a.risk_score desc, a.created_at, a.id limit :limit offset :offset")
    List<Row> list(@Bind("organizationId") UUID organizationId, @Bind("status") String status,
                   @Bind("kind") String kind, @Bind("agentId") UUID agentId, @Bind("actionType") String actionType,
                   @Bind("roles") String[] roles, @Bind("limit") int limit, @Bind("offset") int offset);

    @SqlQuery("select count(*) from approvals a" + FILTER)
    long count(@Bind("organizationId") UUID organizationId, @Bind("status") String status,
               @Bind("kind") String kind, @Bind("agentId") UUID agentId, @Bind("actionType") String actionType,
               @Bind("roles") String[] roles);

    @SqlQuery("select approval_id, principal, vote, comment, created_at, payload::text as payload,"
            + " grant_terms::text as grant_terms from approval_votes"
            + " where approval_id = any(:ids) order by created_at")
    List<VoteRow> votes(@Bind("ids") UUID[] ids);

    default List<VoteRow> votes(UUID id) {
        return votes(new UUID[] {id});
    }

    @SqlUpdate("""
            insert into approval_votes (approval_id, organization_id, principal, vote, comment, payload, grant_terms)
            values (:id, :organizationId, :principal, :vote, :comment, cast(:payload as jsonb),
                    cast(:grantTerms as jsonb))
            on conflict do nothing
            """)
    int vote(@Bind("id") UUID id, @Bind("organizationId") UUID organizationId, @Bind("principal") String principal,
             @Bind("vote") String vote, @Bind("comment") String comment, @Bind("payload") String payload,
             @Bind("grantTerms") String grantTerms);

    @SqlUpdate("update approvals set status = :status, decided_at = now(), decided_by = :by where id = :id")
    void decide(@Bind("id") UUID id, @Bind("status") String status, @Bind("by") String by);

    /**
     * Requests past their deadline, claimed so that several server instances never sweep the same one;
     * the oldest first, handed out by agent, so that concurrent sweeps take agents' locks in one order.
     */
    @SqlQuery("""
            select id, organization_id from (
                   select id, organization_id, agent_id from approvals
                    where status = 'pending' and expires_at <= now()
                    order by expires_at limit :limit
                    for update skip locked) due
             order by agent_id, id
            """)
    @RegisterConstructorMapper(Due.class)
    List<Due> due(@Bind("limit") int limit);

    record Due(UUID id, UUID organizationId) {
    }

    @SqlUpdate("""
            update approvals set approver_role = escalation_role, escalated = true,
                   expires_at = now() + make_interval(secs => escalation_seconds)
             where id = :id
            """)
    void escalate(@Bind("id") UUID id);

    @SqlQuery("""
            select id from approvals
             where organization_id = :organizationId and agent_id = :agentId and kind = 'DEPLOYMENT'
               and status = 'pending' and blueprint_version = :version
            """)
    Optional<UUID> pendingDeployment(@Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId,
                                     @Bind("version") int version);

    /**
     * Who is involved with these agents and therefore may not vote on their requests: who deployed
     * or rolled one back ({@code deployer}), minted a token bound to it ({@code minter}), or acts
     * as it ({@code agent}).
     */
    @SqlQuery("""
            select distinct agent_id, requested_by as principal, 'deployer' as role from deployments
             where organization_id = :organizationId and agent_id = any(:agentIds) and kind in ('deploy', 'rollback')
            union
            select agent_id, created_by, 'minter' from api_tokens
             where organization_id = :organizationId and agent_id = any(:agentIds)
            union
            select agent_id, principal, 'agent' from api_tokens
             where organization_id = :organizationId and agent_id = any(:agentIds)
            order by agent_id, role, principal
            """)
    @RegisterConstructorMapper(Involved.class)
    List<Involved> involved(@Bind("organizationId") UUID organizationId, @Bind("agentIds") UUID[] agentIds);

    record Involved(UUID agentId, String principal, String role) {
    }

    /** Who created the blueprint, and who wrote the given version of it. */
    @SqlQuery("""
            select b.created_by, v.created_by as version_author
              from blueprints b left join blueprint_versions v on v.blueprint_id = b.id and v.version = :version
             where b.organization_id = :organizationId and b.id = :agentId
            """)
    @RegisterConstructorMapper(Authors.class)
    Optional<Authors> authors(@Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId,
                              @Bind("version") int version);

    record Authors(String createdBy, String versionAuthor) {
    }
}
