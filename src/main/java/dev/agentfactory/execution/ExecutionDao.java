package dev.agentfactory.execution;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

@RegisterConstructorMapper(ExecutionDao.Cleared.class)
@RegisterConstructorMapper(ExecutionDao.Report.class)
interface ExecutionDao {

    /** A decision as an execution report checks it: what was cleared, and until when. */
    record Cleared(UUID id, UUID agentId, String actionType, String decision, String status, String input,
                   String approvedInput, Instant approvedUntil, boolean lapsed, UUID approvalId, String reasons,
                   String rulesFired, String ruleSetVersion, int blueprintVersion, String traceId, Instant createdAt,
                   Instant updatedAt) {

        /** The arguments that were cleared: the approver's version when they edited it, else the proposal. */
        String clearedInput() {
            return approvedInput != null ? approvedInput : input;
        }
    }

    String CLEARED = """
            select id, agent_id, action_type, decision, status, input::text as input,
                   approved_input::text as approved_input, approved_until,
                   (approved_until is not null and approved_until < now()) as lapsed, approval_id,
                   reasons::text as reasons, rules_fired::text as rules_fired, rule_set_version, blueprint_version,
                   trace_id, created_at, updated_at
              from decisions
             where organization_id = :organizationId and agent_id = :agentId and id = :id
            """;

    @SqlQuery(CLEARED)
    Optional<Cleared> find(@Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId,
                           @Bind("id") UUID id);

    /** Locks the decision: reports on one decision are counted one at a time. */
    @SqlQuery(CLEARED + " for update")
    Optional<Cleared> lock(@Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId,
                           @Bind("id") UUID id);

    @SqlQuery("select exists (select 1 from execution_reports where decision_id = :id and outcome = 'match')")
    boolean executed(@Bind("id") UUID decisionId);

    record Report(UUID id, UUID decisionId, String reportedBy, String arguments, String reportedDigest,
                  String expectedDigest, String outcome, Instant createdAt, String actionType) {
    }

    @SqlQuery("""
            insert into execution_reports (organization_id, agent_id, decision_id, reported_by, arguments,
                                           reported_digest, expected_digest, outcome)
            values (:organizationId, :agentId, :decisionId, :reportedBy, cast(:arguments as jsonb), :reportedDigest,
                    :expectedDigest, :outcome)
            returning id, decision_id, reported_by, arguments::text as arguments, reported_digest, expected_digest,
                      outcome, created_at, null as action_type
            """)
    Report insert(@Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId,
                  @Bind("decisionId") UUID decisionId, @Bind("reportedBy") String reportedBy,
                  @Bind("arguments") String arguments, @Bind("reportedDigest") String reportedDigest,
                  @Bind("expectedDigest") String expectedDigest, @Bind("outcome") String outcome);

    @SqlQuery("""
            select r.id, r.decision_id, r.reported_by, r.arguments::text as arguments, r.reported_digest,
                   r.expected_digest, r.outcome, r.created_at, d.action_type
              from execution_reports r join decisions d on d.id = r.decision_id
             where r.organization_id = :organizationId and r.decision_id = :decisionId
             order by r.created_at, r.id
            """)
    List<Report> reports(@Bind("organizationId") UUID organizationId, @Bind("decisionId") UUID decisionId);

    @SqlQuery("""
            select r.id, r.decision_id, r.reported_by, r.arguments::text as arguments, r.reported_digest,
                   r.expected_digest, r.outcome, r.created_at, d.action_type
              from execution_reports r join decisions d on d.id = r.decision_id
             where r.organization_id = :organizationId and r.agent_id = :agentId and r.outcome <> 'match'
             order by r.created_at desc, r.id limit :limit offset :offset
            """)
    List<Report> violations(@Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId,
                            @Bind("limit") int limit, @Bind("offset") int offset);

    @SqlQuery("""
            select count(*) from execution_reports
             where organization_id = :organizationId and agent_id = :agentId and outcome <> 'match'
            """)
    long countViolations(@Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId);
}
