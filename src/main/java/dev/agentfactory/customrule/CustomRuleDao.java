package dev.agentfactory.customrule;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(CustomRuleDao.Row.class)
@RegisterConstructorMapper(CustomRuleDao.SetVersion.class)
interface CustomRuleDao {

    record Row(UUID id, UUID organizationId, int ruleNumber, String definition, int version, String createdBy,
               Instant createdAt, String updatedBy, Instant updatedAt) {
    }

    record SetVersion(UUID organizationId, long version) {
    }

    String COLUMNS = """
            id, organization_id, rule_number, definition::text as definition, version, created_by, created_at,
            updated_by, updated_at
            """;

    /**
     * Counts a change of the organization's rules. The row stays locked until the transaction
     * ends, so changes of one organization happen one after the other, on every server.
     */
    @SqlQuery("""
            insert into custom_rule_sets (organization_id, version) values (:organizationId, 1)
            on conflict (organization_id) do update
               set version = custom_rule_sets.version + 1, updated_at = now()
            returning version
            """)
    long bumpSetVersion(@Bind("organizationId") UUID organizationId);

    @SqlQuery("select organization_id, version from custom_rule_sets")
    List<SetVersion> setVersions();

    @SqlQuery("select version from custom_rule_sets where organization_id = :organizationId")
    Optional<Long> setVersion(@Bind("organizationId") UUID organizationId);

    @SqlQuery("select " + COLUMNS + " from custom_rules where organization_id = :organizationId and deleted_at is null"
            + " order by rule_number")
    List<Row> active(@Bind("organizationId") UUID organizationId);

    @SqlQuery("select " + COLUMNS + " from custom_rules where organization_id = :organizationId and id = :id"
            + " and deleted_at is null")
    Optional<Row> find(@Bind("organizationId") UUID organizationId, @Bind("id") UUID id);

    /** Numbers are never reused, deleted rules included: a decision's {@code CUS-<n>} always means one rule. */
    @SqlQuery("select coalesce(max(rule_number), 0) + 1 from custom_rules where organization_id = :organizationId")
    int nextNumber(@Bind("organizationId") UUID organizationId);

    @SqlUpdate("""
            insert into custom_rules (id, organization_id, rule_number, name, applies_to, definition, version,
                                      created_by, created_at, updated_by, updated_at)
            values (:id, :organizationId, :ruleNumber, :name, :appliesTo, cast(:definition as jsonb), 1,
                    :by, :at, :by, :at)
            """)
    void insert(@Bind("id") UUID id, @Bind("organizationId") UUID organizationId, @Bind("ruleNumber") int ruleNumber,
                @Bind("name") String name, @Bind("appliesTo") String appliesTo, @Bind("definition") String definition,
                @Bind("by") String by, @Bind("at") Instant at);

    @SqlUpdate("""
            update custom_rules set name = :name, applies_to = :appliesTo, definition = cast(:definition as jsonb),
                   version = :version, updated_by = :by, updated_at = :at
             where id = :id and deleted_at is null
            """)
    int update(@Bind("id") UUID id, @Bind("name") String name, @Bind("appliesTo") String appliesTo,
               @Bind("definition") String definition, @Bind("version") int version, @Bind("by") String by,
               @Bind("at") Instant at);

    @SqlUpdate("update custom_rules set deleted_at = now(), deleted_by = :by where id = :id and deleted_at is null")
    int delete(@Bind("id") UUID id, @Bind("by") String by);
}
