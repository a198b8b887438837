package dev.agentfactory.grant;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(GrantDao.Row.class)
interface GrantDao {

    record Row(UUID id, UUID agentId, String actionType, String scope, String contactId, int maxUses, int uses,
               Instant expiresAt, String grantedBy, UUID approvalId, UUID decisionId, Instant createdAt,
               Instant revokedAt, String revokedBy, boolean active) {
    }

    String SELECT = """
            select id, agent_id, action_type, scope, contact_id, max_uses, uses, expires_at, granted_by, approval_id,
                   decision_id, created_at, revoked_at, revoked_by,
                   (revoked_at is null and expires_at > now() and uses < max_uses) as active
              from standing_grants
            """;

    @SqlQuery("""
            insert into standing_grants (organization_id, agent_id, action_type, scope, contact_id, max_uses,
                                         expires_at, granted_by, approval_id, decision_id)
            values (:organizationId, :agentId, :actionType, :scope, :contactId, :maxUses,
                    now() + make_interval(hours => :hours), :grantedBy, :approvalId, :decisionId)
            returning id
            """)
    UUID insert(@Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId,
                @Bind("actionType") String actionType, @Bind("scope") String scope, @Bind("contactId") String contactId,
                @Bind("maxUses") int maxUses, @Bind("hours") int hours, @Bind("grantedBy") String grantedBy,
                @Bind("approvalId") UUID approvalId, @Bind("decisionId") UUID decisionId);

    /**
     * Takes one use of a grant that covers the action. The row lock and the re-checked
     * {@code uses < max_uses} make the count exact however many proposals race for the last use.
     */
    @SqlQuery("""
            update standing_grants g set uses = g.uses + 1
             where g.id = (select id from standing_grants
                            where agent_id = :agentId and action_type = :actionType and revoked_at is null
                              and expires_at > now() and uses < max_uses
                              and (scope = 'agent' or contact_id = :contactId)
                            order by expires_at, id limit 1)
               and g.revoked_at is null and g.expires_at > now() and g.uses < g.max_uses
            returning g.id, g.agent_id, g.action_type, g.scope, g.contact_id, g.max_uses, g.uses, g.expires_at,
                      g.granted_by, g.approval_id, g.decision_id, g.created_at, g.revoked_at, g.revoked_by, true as active
            """)
    Optional<Row> use(@Bind("agentId") UUID agentId, @Bind("actionType") String actionType,
                      @Bind("contactId") String contactId);

    @SqlQuery(SELECT + " where organization_id = :organizationId and id = :id")
    Optional<Row> find(@Bind("organizationId") UUID organizationId, @Bind("id") UUID id);

    @SqlQuery(SELECT + """
             where organization_id = :organizationId
               and (cast(:agentId as uuid) is null or agent_id = :agentId)
               and (not :activeOnly or (revoked_at is null and expires_at > now() and uses < max_uses))
             order by created_at desc, id limit :limit offset :offset
            """)
    List<Row> list(@Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId,
                   @Bind("activeOnly") boolean activeOnly, @Bind("limit") int limit, @Bind("offset") int offset);

    @SqlQuery("""
            select count(*) from standing_grants
             where organization_id = :organizationId
               and (cast(:agentId as uuid) is null or agent_id = :agentId)
               and (not :activeOnly or (revoked_at is null and expires_at > now() and uses < max_uses))
            """)
    long count(@Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId,
               @Bind("activeOnly") boolean activeOnly);

    @SqlUpdate("""
            update standing_grants set revoked_at = now(), revoked_by = :by
             where organization_id = :organizationId and id = :id and revoked_at is null
            """)
    int revoke(@Bind("organizationId") UUID organizationId, @Bind("id") UUID id, @Bind("by") String by);
}
