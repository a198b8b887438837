package dev.agentfactory.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(TokenDao.Row.class)
public interface TokenDao {

    /** @param bootstrap the bootstrap admin's token: a system administrator */
    record Row(UUID id, String principal, UUID organizationId, String organizationName, String[] roles,
               UUID agentId, Instant createdAt, String createdBy, Instant revokedAt, String revokedBy,
               boolean bootstrap) {
    }

    String COLUMNS = """
            t.id, t.principal, t.organization_id, o.name as organization_name, t.roles, t.agent_id,
            t.created_at, t.created_by, t.revoked_at, t.revoked_by, t.bootstrap
            """;

    @SqlQuery("select " + COLUMNS + """
            from api_tokens t join organizations o on o.id = t.organization_id
            where t.token_hash = :hash and t.revoked_at is null
            """)
    Optional<Row> findActiveByHash(@Bind("hash") String hash);

    @SqlQuery("select " + COLUMNS + """
            from api_tokens t join organizations o on o.id = t.organization_id
            where t.id = :id
            """)
    Optional<Row> find(@Bind("id") UUID id);

    @SqlQuery("select " + COLUMNS + """
            from api_tokens t join organizations o on o.id = t.organization_id
            where (cast(:organizationId as uuid) is null or t.organization_id = :organizationId)
            order by t.created_at desc, t.id
            limit :limit offset :offset
            """)
    List<Row> list(@Bind("organizationId") UUID organizationId, @Bind("limit") int limit, @Bind("offset") int offset);

    @SqlQuery("""
            select count(*) from api_tokens
            where (cast(:organizationId as uuid) is null or organization_id = :organizationId)
            """)
    long count(@Bind("organizationId") UUID organizationId);

    @SqlQuery("""
            insert into api_tokens (organization_id, principal, roles, agent_id, token_hash, bootstrap, created_by)
            values (:organizationId, :principal, :roles, :agentId, :hash, :bootstrap, :createdBy)
            returning id, created_at
            """)
    @RegisterConstructorMapper(Inserted.class)
    Inserted insert(@Bind("organizationId") UUID organizationId, @Bind("principal") String principal,
                    @Bind("roles") String[] roles, @Bind("agentId") UUID agentId, @Bind("hash") String hash,
                    @Bind("bootstrap") boolean bootstrap, @Bind("createdBy") String createdBy);

    record Inserted(UUID id, Instant createdAt) {
    }

    @SqlUpdate("update api_tokens set revoked_at = now(), revoked_by = :by where id = :id and revoked_at is null")
    int revoke(@Bind("id") UUID id, @Bind("by") String by);

    record Revoked(UUID id, UUID organizationId) {
    }

    /** Tokens revoked by the current transaction: {@code now()} is the time it started. */
    @RegisterConstructorMapper(Revoked.class)
    @SqlQuery("select id, organization_id from api_tokens where revoked_at = now()")
    List<Revoked> revokedInThisTransaction();

    @SqlQuery("select id from api_tokens where bootstrap and revoked_at is null and token_hash <> :keepHash")
    List<UUID> otherActiveBootstrapTokens(@Bind("keepHash") String keepHash);

    @SqlQuery("select count(*) from api_tokens where bootstrap and revoked_at is null")
    int countActiveBootstrapTokens();

    /** Any token with this secret, revoked or not. */
    @SqlQuery("select " + COLUMNS + """
            from api_tokens t join organizations o on o.id = t.organization_id
            where t.token_hash = :hash
            """)
    Optional<Row> findByHash(@Bind("hash") String hash);

    /**
     * Active tokens minted before principals had namespaces that break the rules of today: AGENT
     * tokens with other roles, without an agent or with a person's name, and tokens other than the
     * bootstrap admin's named {@code admin} or {@code system}.
     */
    @SqlQuery("select " + COLUMNS + """
            from api_tokens t join organizations o on o.id = t.organization_id
            where t.revoked_at is null
              and (('AGENT' = any(t.roles)
                    and not (t.roles = array['AGENT'] and t.agent_id is not null and t.principal like 'agent:%'))
                   or (not t.bootstrap and lower(t.principal) in ('admin', 'system')))
            order by t.created_at, t.id
            """)
    List<Row> outsideNamespaces();

    @SqlUpdate("update api_tokens set principal = :principal where id = :id")
    void rename(@Bind("id") UUID id, @Bind("principal") String principal);

    @SqlQuery("select exists (select 1 from blueprints where id = :agentId and organization_id = :organizationId)")
    boolean agentExists(@Bind("agentId") UUID agentId, @Bind("organizationId") UUID organizationId);

    /** Who deployed the agent's running version, if it runs. */
    @SqlQuery("""
            select d.requested_by from blueprints b join deployments d on d.id = b.deployment_id
             where b.id = :agentId and b.organization_id = :organizationId
            """)
    Optional<String> deployedBy(@Bind("agentId") UUID agentId, @Bind("organizationId") UUID organizationId);

    /** Serializes bootstrap across server instances sharing one database. */
    @SqlQuery("select 1 from pg_advisory_xact_lock(hashtext('agent-factory-bootstrap'))")
    int lockBootstrap();
}
