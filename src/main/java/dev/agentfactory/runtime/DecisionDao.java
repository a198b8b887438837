package dev.agentfactory.runtime;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(DecisionDao.Row.class)
public interface DecisionDao {

    record Row(UUID id, UUID agentId, UUID deploymentId, int blueprintVersion, String ruleSetVersion, String traceId,
               String actionType, String scope, String decision, String status, double riskScore, double confidence,
               String contactId, String reasons, String rulesFired, String input, UUID approvalId,
               String approvalStatus, Instant createdAt, Instant updatedAt, String approvedInput,
               Instant approvedUntil) {
    }

    /** Positional parameters, set by {@link #set}: this runs for every decision (see {@code AuditLog.appendWith}). */
    String INSERT = """
            insert into decisions (id, organization_id, agent_id, deployment_id, blueprint_version, rule_set_version,
                                   trace_id, request_id, action_type, scope, decision, status, risk_score, confidence,
                                   contact_id, reasons, rules_fired, input, approval_id, latency_us, recorded)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), cast(? as jsonb), cast(? as jsonb), ?, ?,
                    cast(? as jsonb))
            """;

    /** A decision as it is stored; the JSON columns come as text ({@code recorded}: see RecordedState, may be null). */
    record NewDecision(UUID id, UUID organizationId, UUID agentId, UUID deploymentId, int blueprintVersion,
                       String ruleSetVersion, String traceId, String requestId, String actionType, String scope,
                       String decision, String status, double riskScore, double confidence, String contactId,
                       String reasons, String rulesFired, String input, UUID approvalId, long latencyUs,
                       String recorded) {

        /** Sets the parameters of {@link #INSERT} from {@code first} on; returns the index after them. */
        int set(PreparedStatement statement, int first) throws SQLException {
            int i = first;
            statement.setObject(i++, id, Types.OTHER);
            statement.setObject(i++, organizationId, Types.OTHER);
            statement.setObject(i++, agentId, Types.OTHER);
            statement.setObject(i++, deploymentId, Types.OTHER);
            statement.setInt(i++, blueprintVersion);
            statement.setString(i++, ruleSetVersion);
            statement.setString(i++, traceId);
            statement.setString(i++, requestId);
            statement.setString(i++, actionType);
            statement.setString(i++, scope);
            statement.setString(i++, decision);
            statement.setString(i++, status);
            statement.setDouble(i++, riskScore);
            statement.setDouble(i++, confidence);
            statement.setString(i++, contactId);
            statement.setString(i++, reasons);
            statement.setString(i++, rulesFired);
            statement.setString(i++, input);
            statement.setObject(i++, approvalId, Types.OTHER);
            statement.setLong(i++, latencyUs);
            statement.setString(i++, recorded);
            return i;
        }
    }

    @SqlQuery("""
            select d.id, d.agent_id, d.deployment_id, d.blueprint_version, d.rule_set_version, d.trace_id, d.action_type,
                   d.scope, d.decision, d.status, d.risk_score, d.confidence, d.contact_id, d.reasons::text as reasons,
                   d.rules_fired::text as rules_fired, d.input::text as input, d.approval_id,
                   a.status as approval_status, d.created_at, d.updated_at,
                   d.approved_input::text as approved_input, d.approved_until
              from decisions d left join approvals a on a.id = d.approval_id
             where d.organization_id = :organizationId and d.agent_id = :agentId and d.id = :id
            """)
    Optional<Row> find(@Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId, @Bind("id") UUID id);

    /** Moves a decision that waited; an approved one may be executed for {@code goodForSeconds}. */
    @SqlUpdate("""
            update decisions set status = :status, updated_at = now(),
                   approved_until = case when :status = 'APPROVED' then now() + make_interval(secs => :goodForSeconds) end
             where organization_id = :organizationId and id = :id
            """)
    void setStatus(@Bind("organizationId") UUID organizationId, @Bind("id") UUID id, @Bind("status") String status,
                   @Bind("goodForSeconds") long goodForSeconds);

    /** Keeps the payload an approver changed the action to beside the proposal: both versions stay. */
    @SqlUpdate("""
            update decisions set approved_input = jsonb_set(input, '{payload}', cast(:payload as jsonb))
             where organization_id = :organizationId and id = :id
            """)
    void approveEdited(@Bind("organizationId") UUID organizationId, @Bind("id") UUID id,
                       @Bind("payload") String payload);

    /** The secret the agent's current deployment signs its callbacks with. */
    @SqlQuery("select callback_secret from deployments where id = :deploymentId")
    Optional<String> callbackSecret(@Bind("deploymentId") UUID deploymentId);
}
