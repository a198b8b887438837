package dev.agentfactory.validation;

import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

public interface ValidationDao {

    @SqlQuery("""
            insert into validation_runs (organization_id, blueprint_id, blueprint_version, rule_set_version, valid,
                                         risk_level, requires_approval, report, requested_by)
            values (:organizationId, :blueprintId, :blueprintVersion, :ruleSetVersion, :valid,
                    :riskLevel, :requiresApproval, cast(:report as jsonb), :requestedBy)
            returning id
            """)
    UUID insert(@Bind("organizationId") UUID organizationId, @Bind("blueprintId") UUID blueprintId,
                @Bind("blueprintVersion") int blueprintVersion, @Bind("ruleSetVersion") String ruleSetVersion,
                @Bind("valid") boolean valid, @Bind("riskLevel") String riskLevel,
                @Bind("requiresApproval") boolean requiresApproval, @Bind("report") String report,
                @Bind("requestedBy") String requestedBy);
}
