package dev.agentfactory.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

@RegisterConstructorMapper(AuditDao.Row.class)
public interface AuditDao {

    record Row(long id, UUID organizationId, Instant occurredAt, String actor, UUID tokenId, String action,
               String entityType, String entityId, String traceId, String before, String after,
               String ruleSetVersion, String rulesFired, Integer keyEpoch, String entryMac, Long sealSeq,
               String prevHash, String hash, Integer sealKeyEpoch, String entryCheck) {
    }

    /** Every column of an entry with its seal, if it has one yet (FILTER's column names are unambiguous here). */
    String COLUMNS = """
            select a.id, a.organization_id, a.occurred_at, a.actor, a.token_id, a.action, a.entity_type, a.entity_id,
                   a.trace_id, a.before::text as before, a.after::text as after, a.rule_set_version,
                   a.rules_fired::text as rules_fired, a.key_epoch, a.entry_mac, s.seal_seq, s.prev_hash, s.hash,
                   s.key_epoch as seal_key_epoch, s.entry_check
              from audit_log a left join audit_seals s on s.audit_id = a.id
            """;

    /** Used through the fluent API by {@link AuditLog}: see there why. Prefixed names: it may share a statement. */
    String INSERT = """
            insert into audit_log (organization_id, occurred_at, actor, token_id, action, entity_type, entity_id,
                                   trace_id, before, after, rule_set_version, rules_fired, key_epoch, entry_mac)
            values (:auditOrganizationId, :auditOccurredAt, :auditActor, :auditTokenId, :auditAction, :auditEntityType,
                    :auditEntityId, :auditTraceId, cast(:auditBefore as jsonb), cast(:auditAfter as jsonb),
                    :auditRuleSetVersion, cast(:auditRulesFired as jsonb), :auditKeyEpoch, :auditEntryMac)
            """;

    /** {@link #INSERT} with positional parameters, in the same order (plain JDBC, {@link AuditLog#appendWith}). */
    String INSERT_POSITIONAL = """
            insert into audit_log (organization_id, occurred_at, actor, token_id, action, entity_type, entity_id,
                                   trace_id, before, after, rule_set_version, rules_fired, key_epoch, entry_mac)
            values (?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), cast(? as jsonb), ?, cast(? as jsonb), ?, ?)
            """;

    String FILTER = """
            where (organization_id = :organizationId or organization_id is null)
              and (cast(:entityId as text) is null or entity_id = :entityId)
              and (cast(:actor as text) is null or actor = :actor)
              and (cast(:action as text) is null or action = :action)
              and (cast(:from as timestamptz) is null or occurred_at >= :from)
              and (cast(:to as timestamptz) is null or occurred_at < :to)
            """;

    @SqlQuery(COLUMNS + FILTER + " order by id desc limit :limit offset :offset")
    List<Row> find(@Bind("organizationId") UUID organizationId, @Bind("entityId") String entityId,
                   @Bind("actor") String actor, @Bind("action") String action,
                   @Bind("from") Instant from, @Bind("to") Instant to,
                   @Bind("limit") int limit, @Bind("offset") int offset);

    @SqlQuery("select count(*) from audit_log " + FILTER)
    long count(@Bind("organizationId") UUID organizationId, @Bind("entityId") String entityId,
               @Bind("actor") String actor, @Bind("action") String action,
               @Bind("from") Instant from, @Bind("to") Instant to);
}
