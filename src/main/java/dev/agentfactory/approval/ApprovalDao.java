package dev.agentfactory.approval;

import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

public interface ApprovalDao {

    @SqlQuery("""
            insert into approvals (organization_id, kind, agent_id, decision_id, blueprint_version, status,
                                   required_approvals, approver_role, priority, risk_score, summary, reasons,
                                   requested_by, expires_at)
            values (:organizationId, :kind, :agentId, :decisionId, :blueprintVersion, 'pending', :requiredApprovals,
                    :approverRole, :priority, :riskScore, cast(:summary as jsonb), cast(:reasons as jsonb),
                    :requestedBy, now() + make_interval(secs => :timeoutSeconds))
            returning id
            """)
    UUID insert(@Bind("organizationId") UUID organizationId, @Bind("kind") String kind, @Bind("agentId") UUID agentId,
                @Bind("decisionId") UUID decisionId, @Bind("blueprintVersion") int blueprintVersion,
                @Bind("requiredApprovals") int requiredApprovals, @Bind("approverRole") String approverRole,
                @Bind("priority") int priority, @Bind("riskScore") double riskScore, @Bind("summary") String summary,
                @Bind("reasons") String reasons, @Bind("requestedBy") String requestedBy,
                @Bind("timeoutSeconds") long timeoutSeconds);
}
