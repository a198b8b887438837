package dev.agentfactory.shadow;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(ShadowDao.Row.class)
@RegisterConstructorMapper(ShadowDao.Difference.class)
@RegisterConstructorMapper(ShadowDao.Transition.class)
interface ShadowDao {

    record Row(UUID id, UUID organizationId, String bundleVersion, UUID agentId, Integer agentVersion, String status,
               long skipped, String startedBy, Instant startedAt, String endedBy, Instant endedAt) {
    }

    /** A live decision the shadow decided otherwise. */
    record Difference(UUID decisionId, UUID agentId, String actionType, String liveDecision, String shadowDecision,
                      String liveRules, String shadowRules, String shadowReasons, Instant createdAt) {
    }

    record Transition(String liveDecision, String shadowDecision, long count) {
    }

    /** One shadow outcome, beside the live decision it shadows. */
    record Outcome(UUID shadowId, UUID decisionId, UUID organizationId, UUID agentId, String actionType,
                   String liveDecision, String shadowDecision, String liveRules, String shadowRules,
                   String shadowReasons) {
    }

    String COLUMNS = """
            select id, organization_id, bundle_version, agent_id, agent_version, status, skipped, started_by,
                   started_at, ended_by, ended_at
              from shadows
            """;

    @SqlUpdate("""
            insert into shadows (id, organization_id, bundle_version, agent_id, agent_version, status, started_by)
            values (:id, :organizationId, :bundleVersion, :agentId, :agentVersion, 'running', :startedBy)
            """)
    void insert(@Bind("id") UUID id, @Bind("organizationId") UUID organizationId,
                @Bind("bundleVersion") String bundleVersion, @Bind("agentId") UUID agentId,
                @Bind("agentVersion") Integer agentVersion, @Bind("startedBy") String startedBy);

    @SqlQuery(COLUMNS + " where organization_id = :organizationId and id = :id")
    Optional<Row> find(@Bind("organizationId") UUID organizationId, @Bind("id") UUID id);

    @SqlQuery(COLUMNS + " where organization_id = :organizationId and id = :id for update")
    Optional<Row> lock(@Bind("organizationId") UUID organizationId, @Bind("id") UUID id);

    @SqlQuery(COLUMNS + " where organization_id = :organizationId order by started_at desc limit 100")
    List<Row> list(@Bind("organizationId") UUID organizationId);

    /** Every organization's running shadows: what each instance evaluates. */
    @SqlQuery(COLUMNS + " where status = 'running'")
    List<Row> running();

    @SqlUpdate("""
            update shadows set status = :status, ended_by = :by, ended_at = now()
             where id = :id and status = 'running'
            """)
    int end(@Bind("id") UUID id, @Bind("status") String status, @Bind("by") String by);

    @SqlUpdate("update shadows set skipped = skipped + :count where id = :id")
    void skipped(@Bind("id") UUID id, @Bind("count") long count);

    @SqlUpdate("""
            insert into shadow_decisions (shadow_id, decision_id, organization_id, agent_id, action_type, live_decision,
                                          shadow_decision, live_rules, shadow_rules, shadow_reasons)
            values (:shadowId, :decisionId, :organizationId, :agentId, :actionType, :liveDecision, :shadowDecision,
                    cast(:liveRules as jsonb), cast(:shadowRules as jsonb), cast(:shadowReasons as jsonb))
            on conflict do nothing
            """)
    void store(@BindMethods Outcome outcome);

    @SqlQuery("""
            select live_decision, shadow_decision, count(*) as count from shadow_decisions
             where shadow_id = :id group by live_decision, shadow_decision order by live_decision, shadow_decision
            """)
    List<Transition> transitions(@Bind("id") UUID id);

    @SqlQuery("""
            select decision_id, agent_id, action_type, live_decision, shadow_decision, live_rules::text as live_rules,
                   shadow_rules::text as shadow_rules, shadow_reasons::text as shadow_reasons, created_at
              from shadow_decisions
             where shadow_id = :id and live_decision <> shadow_decision
             order by created_at desc
             limit :limit
            """)
    List<Difference> differences(@Bind("id") UUID id, @Bind("limit") int limit);
}
