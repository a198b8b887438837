package dev.agentfactory.analytics;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Counts over stored decisions and approvals: nothing in memory, so they hold right after a restart. */
@RegisterConstructorMapper(AnalyticsDao.Firing.class)
@RegisterConstructorMapper(AnalyticsDao.RuleTotal.class)
@RegisterConstructorMapper(AnalyticsDao.ApproverRow.class)
@RegisterConstructorMapper(AnalyticsDao.AgentRow.class)
@RegisterConstructorMapper(AnalyticsDao.FastVote.class)
interface AnalyticsDao {

    record Firing(Instant bucket, String ruleId, long count) {
    }

    /** @param onApproval fires on decisions that required approval */
    record RuleTotal(String ruleId, long fired, long onApproval) {
    }

    record ApproverRow(String principal, long votes, long approved, double medianSeconds, long fast) {
    }

    record AgentRow(UUID agentId, long decided, long approved, long rejected, long expired, double medianSeconds) {
    }

    record FastVote(UUID approvalId, UUID agentId, String principal, double seconds, Instant at) {
    }

    @SqlQuery("""
            select count(*) from decisions
             where organization_id = :organizationId and created_at >= :from and created_at < :to
            """)
    long decisions(@Bind("organizationId") UUID organizationId, @Bind("from") Instant from, @Bind("to") Instant to);

    @SqlQuery("""
            select date_trunc(:unit, d.created_at) as bucket, r.rule_id, count(*) as count
              from decisions d, jsonb_array_elements_text(d.rules_fired) as r(rule_id)
             where d.organization_id = :organizationId and d.created_at >= :from and d.created_at < :to
             group by 1, 2 order by 1, 2
            """)
    List<Firing> firings(@Bind("organizationId") UUID organizationId, @Bind("from") Instant from,
                         @Bind("to") Instant to, @Bind("unit") String unit);

    @SqlQuery("""
            select r.rule_id, count(*) as fired, count(*) filter (where d.decision = 'REQUIRE_APPROVAL') as on_approval
              from decisions d, jsonb_array_elements_text(d.rules_fired) as r(rule_id)
             where d.organization_id = :organizationId and d.created_at >= :from and d.created_at < :to
             group by 1 order by 2 desc, 1
            """)
    List<RuleTotal> totals(@Bind("organizationId") UUID organizationId, @Bind("from") Instant from,
                           @Bind("to") Instant to);

    @SqlQuery("""
            select v.principal, count(*) as votes, count(*) filter (where v.vote = 'approve') as approved,
                   coalesce(percentile_cont(0.5) within group (order by extract(epoch from v.created_at - a.created_at)), 0)
                       as median_seconds,
                   count(*) filter (where v.vote = 'approve'
                                      and v.created_at - a.created_at < make_interval(secs => :fastSeconds)) as fast
              from approval_votes v join approvals a on a.id = v.approval_id
             where v.organization_id = :organizationId and v.created_at >= :from and v.created_at < :to
             group by 1 order by 1
            """)
    List<ApproverRow> approvers(@Bind("organizationId") UUID organizationId, @Bind("from") Instant from,
                                @Bind("to") Instant to, @Bind("fastSeconds") double fastSeconds);

    @SqlQuery("""
            select a.agent_id, count(*) as decided, count(*) filter (where a.status = 'approved') as approved,
                   count(*) filter (where a.status = 'rejected') as rejected,
                   count(*) filter (where a.status = 'expired') as expired,
                   coalesce(percentile_cont(0.5) within group (order by extract(epoch from a.decided_at - a.created_at)), 0)
                       as median_seconds
              from approvals a
             where a.organization_id = :organizationId and a.kind = 'ACTION' and a.decided_at is not null
               and a.created_at >= :from and a.created_at < :to
             group by 1 order by 1
            """)
    List<AgentRow> agents(@Bind("organizationId") UUID organizationId, @Bind("from") Instant from,
                          @Bind("to") Instant to);

    @SqlQuery("""
            select v.approval_id, a.agent_id, v.principal, extract(epoch from v.created_at - a.created_at) as seconds,
                   v.created_at as at
              from approval_votes v join approvals a on a.id = v.approval_id
             where v.organization_id = :organizationId and v.created_at >= :from and v.created_at < :to
               and v.vote = 'approve' and v.created_at - a.created_at < make_interval(secs => :fastSeconds)
             order by v.created_at desc
             limit :limit
            """)
    List<FastVote> fastVotes(@Bind("organizationId") UUID organizationId, @Bind("from") Instant from,
                             @Bind("to") Instant to, @Bind("fastSeconds") double fastSeconds, @Bind("limit") int limit);
}
