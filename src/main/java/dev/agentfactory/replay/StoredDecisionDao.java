package dev.agentfactory.replay;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Stored decisions as replay and explain read them: their inputs, the versions, what they depended on. */
@RegisterConstructorMapper(StoredDecisionDao.Stored.class)
public interface StoredDecisionDao {

    /** @param recorded {@link dev.agentfactory.rules.RecordedState} as JSON, or null */
    record Stored(UUID id, UUID organizationId, UUID agentId, int blueprintVersion, String ruleSetVersion,
                  String actionType, String decision, String status, String rulesFired, String reasons, String input,
                  String recorded, Instant createdAt) {
    }

    String COLUMNS = """
            select id, organization_id, agent_id, blueprint_version, rule_set_version, action_type, decision, status,
                   rules_fired::text as rules_fired, reasons::text as reasons, input::text as input,
                   recorded::text as recorded, created_at
              from decisions
            """;

    /**
     * One page of a window, in id order after {@code after} (ids are time-ordered): replay pages through
     * with the last id it saw, so memory stays bounded however long the window is. The page's ids are
     * chosen first and only their rows read: sorting whole rows would read every input of the window.
     *
     * @param organizationId null for every organization (the CLI, which speaks for the whole database)
     * @param agentId null for every agent
     */
    @SqlQuery("""
            with page as materialized (
                select id from decisions
                 where (cast(:organizationId as uuid) is null or organization_id = :organizationId)
                   and (cast(:agentId as uuid) is null or agent_id = :agentId)
                   and created_at >= :from and created_at < :to and id > :after
                 order by id
                 limit :limit
            )
            select d.id, d.organization_id, d.agent_id, d.blueprint_version, d.rule_set_version, d.action_type,
                   d.decision, d.status, d.rules_fired::text as rules_fired, d.reasons::text as reasons,
                   d.input::text as input, d.recorded::text as recorded, d.created_at
              from page join decisions d on d.id = page.id
             order by d.id
            """)
    List<Stored> page(@Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId,
                      @Bind("from") Instant from, @Bind("to") Instant to, @Bind("after") UUID after,
                      @Bind("limit") int limit);

    @SqlQuery(COLUMNS + " where organization_id = :organizationId and agent_id = :agentId and id = :id")
    Optional<Stored> find(@Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId,
                          @Bind("id") UUID id);

    /** A blueprint version's content (the snapshot stored when it was made). */
    @SqlQuery("""
            select snapshot::text from blueprint_versions
             where organization_id = :organizationId and blueprint_id = :agentId and version = :version
            """)
    Optional<String> snapshot(@Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId,
                              @Bind("version") int version);
}
