package dev.agentfactory.runtime;

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
               String approvalStatus, Instant createdAt, Instant updatedAt) {
    }

    @SqlUpdate("""
            insert into decisions (id, organization_id, agent_id, deployment_id, blueprint_version, rule_set_version,
                                   trace_id, request_id, action_type, scope, decision, status, risk_score, confidence,
                                   contact_id, reasons, rules_fired, input, approval_id, latency_us)
            values (:id, :organizationId, :agentId, :deploymentId, :blueprintVersion, :ruleSetVersion, :traceId,
                    :requestId, :actionType, :scope, :decision, :status, :riskScore, :confidence, :contactId,
                    cast(:reasons as jsonb), cast(:rulesFired as jsonb), cast(:input as jsonb), :approvalId, :latencyUs)
            """)
    void insert(@Bind("id") UUID id, @Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId,
                @Bind("deploymentId") UUID deploymentId, @Bind("blueprintVersion") int blueprintVersion,
                @Bind("ruleSetVersion") String ruleSetVersion, @Bind("traceId") String traceId,
                @Bind("requestId") String requestId, @Bind("actionType") String actionType, @Bind("scope") String scope,
                @Bind("decision") String decision, @Bind("status") String status, @Bind("riskScore") double riskScore,
                @Bind("confidence") double confidence, @Bind("contactId") String contactId,
                @Bind("reasons") String reasons, @Bind("rulesFired") String rulesFired, @Bind("input") String input,
                @Bind("approvalId") UUID approvalId, @Bind("latencyUs") long latencyUs);

    @SqlQuery("""
            select d.id, d.agent_id, d.deployment_id, d.blueprint_version, d.rule_set_version, d.trace_id, d.action_type,
                   d.scope, d.decision, d.status, d.risk_score, d.confidence, d.contact_id, d.reasons::text as reasons,
                   d.rules_fired::text as rules_fired, d.input::text as input, d.approval_id,
                   a.status as approval_status, d.created_at, d.updated_at
              from decisions d left join approvals a on a.id = d.approval_id
             where d.organization_id = :organizationId and d.agent_id = :agentId and d.id = :id
            """)
    Optional<Row> find(@Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId, @Bind("id") UUID id);
}
