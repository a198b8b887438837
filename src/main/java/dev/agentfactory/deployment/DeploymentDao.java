package dev.agentfactory.deployment;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(DeploymentDao.Row.class)
@RegisterConstructorMapper(DeploymentDao.LiveRow.class)
@RegisterConstructorMapper(DeploymentDao.AgentRef.class)
public interface DeploymentDao {

    record Row(UUID id, UUID agentId, int blueprintVersion, String kind, String outcome, String requestedBy,
               Instant startedAt, Instant finishedAt, Integer compileMs, Integer deployMs, String templateVersion,
               String ruleSetVersion, String error) {
    }

    /** An agent that should be running: its current deployment and the snapshot of the deployed version. */
    record LiveRow(UUID agentId, UUID organizationId, String status, UUID deploymentId, int blueprintVersion,
                   String snapshot) {
    }

    String COLUMNS = """
            id, agent_id, blueprint_version, kind, outcome, requested_by, started_at, finished_at, compile_ms,
            deploy_ms, template_version, rule_set_version, error::text as error
            """;

    @SqlQuery("""
            insert into deployments (organization_id, agent_id, blueprint_version, kind, outcome, requested_by,
                                     template_version, rule_set_version, error, callback_secret, finished_at)
            values (:organizationId, :agentId, :version, :kind, :outcome, :requestedBy, :templateVersion,
                    :ruleSetVersion, cast(:error as jsonb), :callbackSecret,
                    case when :outcome = 'InProgress' then null else now() end)
            returning id
            """)
    UUID insert(@Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId,
                @Bind("version") int version, @Bind("kind") String kind, @Bind("outcome") String outcome,
                @Bind("requestedBy") String requestedBy, @Bind("templateVersion") String templateVersion,
                @Bind("ruleSetVersion") String ruleSetVersion, @Bind("error") String error,
                @Bind("callbackSecret") String callbackSecret);

    @SqlUpdate("""
            update deployments set outcome = :outcome, finished_at = now(), compile_ms = :compileMs,
                   deploy_ms = :deployMs, error = cast(:error as jsonb)
             where id = :id
            """)
    void finish(@Bind("id") UUID id, @Bind("outcome") String outcome, @Bind("compileMs") Integer compileMs,
                @Bind("deployMs") Integer deployMs, @Bind("error") String error);

    @SqlQuery("select exists (select 1 from deployments where agent_id = :agentId and outcome = 'InProgress')")
    boolean inProgress(@Bind("agentId") UUID agentId);

    /**
     * Deploys take milliseconds: one still in progress after a minute was cut off by a crash (of
     * this or another instance) and is failed, so it does not block the agent forever.
     */
    @SqlUpdate("""
            update deployments set outcome = 'Failed', finished_at = now(),
                   error = '{"message": "interrupted: the server stopped during the deployment"}'
             where outcome = 'InProgress' and started_at < now() - interval '1 minute'
               and (cast(:agentId as uuid) is null or agent_id = :agentId)
            """)
    int failInterrupted(@Bind("agentId") UUID agentId);

    /** An agent, named with its organization. */
    record AgentRef(UUID agentId, UUID organizationId) {
    }

    /**
     * Agents whose first deployment was cut off (left Deploying, or paused meanwhile, with no
     * deployment): nothing of theirs runs.
     */
    @SqlQuery("""
            select b.id as agent_id, b.organization_id from blueprints b
             where (b.status = 'Deploying' or (b.status = 'Paused' and b.deployment_id is null))
               and not exists (select 1 from deployments d where d.agent_id = b.id and d.outcome = 'InProgress')
            """)
    List<AgentRef> stuckDeploying();

    @SqlQuery("select " + COLUMNS + " from deployments where organization_id = :organizationId and agent_id = :agentId"
            + " order by started_at desc, id limit :limit offset :offset")
    List<Row> history(@Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId,
                      @Bind("limit") int limit, @Bind("offset") int offset);

    @SqlQuery("select count(*) from deployments where organization_id = :organizationId and agent_id = :agentId")
    long count(@Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId);

    @SqlQuery("select " + COLUMNS + " from deployments where id = :id")
    Optional<Row> find(@Bind("id") UUID id);

    /** The version deployed before the current one (a different version), for a rollback without a target. */
    @SqlQuery("""
            select blueprint_version from deployments
             where agent_id = :agentId and outcome = 'Succeeded' and kind in ('deploy', 'rollback')
               and blueprint_version <> :currentVersion
             order by started_at desc limit 1
            """)
    Optional<Integer> previousVersion(@Bind("agentId") UUID agentId, @Bind("currentVersion") int currentVersion);

    @SqlQuery("""
            select b.id as agent_id, b.organization_id, b.status, d.id as deployment_id, d.blueprint_version,
                   v.snapshot::text as snapshot
              from blueprints b
              join deployments d on d.id = b.deployment_id
              join blueprint_versions v on v.blueprint_id = b.id and v.version = d.blueprint_version
             where b.status in ('Active', 'Paused')
            """)
    List<LiveRow> live();

    @SqlQuery("""
            select b.id as agent_id, b.organization_id, b.status, d.id as deployment_id, d.blueprint_version,
                   v.snapshot::text as snapshot
              from blueprints b
              join deployments d on d.id = b.deployment_id
              join blueprint_versions v on v.blueprint_id = b.id and v.version = d.blueprint_version
             where b.id = :agentId and b.status in ('Active', 'Paused')
            """)
    Optional<LiveRow> live(@Bind("agentId") UUID agentId);

    /** The agents of one organization (every organization: null) that should be running. */
    @SqlQuery("""
            select b.id as agent_id, b.organization_id, b.status, d.id as deployment_id, d.blueprint_version,
                   v.snapshot::text as snapshot
              from blueprints b
              join deployments d on d.id = b.deployment_id
              join blueprint_versions v on v.blueprint_id = b.id and v.version = d.blueprint_version
             where b.status in ('Active', 'Paused')
               and (cast(:organizationId as uuid) is null or b.organization_id = :organizationId)
            """)
    List<LiveRow> liveIn(@Bind("organizationId") UUID organizationId);

    /** As {@link #liveIn} without the snapshots: what every instance should serve. */
    @SqlQuery("""
            select b.id as agent_id, b.organization_id, b.status, d.id as deployment_id, d.blueprint_version,
                   null as snapshot
              from blueprints b
              join deployments d on d.id = b.deployment_id
             where b.status in ('Active', 'Paused')
            """)
    List<LiveRow> desired();

    /** Agents an emergency stop pauses, locked in id order so two stops cannot deadlock. */
    @SqlQuery("""
            select id as agent_id, organization_id from blueprints
             where status in ('Active', 'Deploying')
               and (cast(:organizationId as uuid) is null or organization_id = :organizationId)
             order by id for update
            """)
    List<AgentRef> lockToStop(@Bind("organizationId") UUID organizationId);

    /** Agents still paused by an emergency stop, locked in id order. */
    @SqlQuery("""
            select id as agent_id, organization_id from blueprints
             where status = 'Paused' and paused_by_stop is not null
               and (cast(:organizationId as uuid) is null or organization_id = :organizationId)
             order by id for update
            """)
    List<AgentRef> lockStopped(@Bind("organizationId") UUID organizationId);

    @SqlQuery("select count(*) from blueprints where status = 'Paused' and paused_by_stop is null"
            + " and (cast(:organizationId as uuid) is null or organization_id = :organizationId)")
    int pausedByHand(@Bind("organizationId") UUID organizationId);

    @SqlQuery("select paused_by_stop is not null from blueprints where id = :agentId")
    boolean pausedByStop(@Bind("agentId") UUID agentId);

    @SqlUpdate("update blueprints set paused_by_stop = :stopId where id = :agentId")
    void setPausedBy(@Bind("agentId") UUID agentId, @Bind("stopId") UUID stopId);

    @SqlUpdate("update blueprints set deployment_id = :deploymentId where id = :agentId")
    void setDeployment(@Bind("agentId") UUID agentId, @Bind("deploymentId") UUID deploymentId);
}
