package dev.agentfactory.execution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.approval.ApprovalService;
import dev.agentfactory.approval.ApprovalView;
import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.ForbiddenException;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.NotFoundException;
import dev.agentfactory.web.Paging;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Closes the loop on a decision: the agent reports what it executed, the server answers whether it is
 * what was cleared (once, in time) and keeps every report; a receipt shows the whole chain.
 */
public final class ExecutionService {
    private static final Set<String> CLEARED = Set.of("EXECUTE", "APPROVED");

    private final Jdbi jdbi;
    private final ApprovalService approvals;
    private final AuditLog auditLog;

    public ExecutionService(Jdbi jdbi, ApprovalService approvals, AuditLog auditLog) {
        this.jdbi = jdbi;
        this.approvals = approvals;
        this.auditLog = auditLog;
    }

    /** What the agent says it executed: the body of {@code POST .../executed}. */
    public record Executed(String contactId, JsonNode payload) {
        static Executed of(JsonNode body) {
            if (body == null || !body.isObject()) {
                throw new BadRequestException("body", "must be a JSON object with payload and contactId");
            }
            JsonNode contact = body.get("contactId");
            if (contact != null && !contact.isNull() && !contact.isTextual()) {
                throw new BadRequestException("contactId", "must be a string");
            }
            JsonNode payload = body.get("payload");
            if (payload != null && !payload.isNull() && !payload.isObject()) {
                throw new BadRequestException("payload", "must be a JSON object (the arguments executed)");
            }
            return new Executed(contact == null || contact.isNull() ? null : contact.asText(), payload);
        }
    }

    public record ReportAnswer(UUID reportId, UUID decisionId, String outcome, boolean match, boolean violation,
                               String reportedDigest, String expectedDigest, Instant reportedAt) {
    }

    public ReportAnswer report(Caller caller, UUID agentId, UUID decisionId, JsonNode body) {
        if (!(caller.has(Role.AGENT) && agentId.equals(caller.agentId())) && !caller.isAdmin()) {
            throw new ForbiddenException("only the agent itself (its AGENT token) or an ADMIN reports its executions");
        }
        Executed executed = Executed.of(body);
        return jdbi.inTransaction(handle -> {
            ExecutionDao dao = handle.attach(ExecutionDao.class);
            ExecutionDao.Cleared decision = dao.lock(caller.organizationId(), agentId, decisionId)
                    .orElseThrow(() -> new NotFoundException("decision " + decisionId));
            String reported = ArgumentsDigest.of(decision.actionType(), executed.contactId(), executed.payload());
            String expected = ArgumentsDigest.ofStored(decision.actionType(), decision.clearedInput());
            ExecutionOutcome outcome = !CLEARED.contains(decision.status()) ? ExecutionOutcome.NOT_CLEARED
                    : dao.executed(decisionId) ? ExecutionOutcome.REPEAT
                    : decision.lapsed() ? ExecutionOutcome.EXPIRED
                    : !reported.equals(expected) ? ExecutionOutcome.MISMATCH
                    : ExecutionOutcome.MATCH;
            Map<String, Object> arguments = new LinkedHashMap<>();
            arguments.put("contactId", executed.contactId());
            arguments.put("payload", executed.payload() == null ? Map.of() : executed.payload());
            ExecutionDao.Report row = dao.insert(caller.organizationId(), agentId, decisionId, caller.principal(),
                    Json.write(arguments), reported, expected, outcome.value());
            ReportAnswer answer = new ReportAnswer(row.id(), decisionId, outcome.value(), !outcome.violation(),
                    outcome.violation(), reported, expected, row.createdAt());
            Map<String, Object> audited = new LinkedHashMap<>(Json.MAPPER.convertValue(answer, Map.class));
            audited.put("arguments", arguments);
            audited.put("decisionStatus", decision.status());
            auditLog.append(handle, AuditEvent.by(caller, outcome.violation() ? "decision.execution_violation"
                    : "decision.executed", "decision", decisionId, null, Json.tree(audited)));
            return answer;
        });
    }

    /** Proposed, decided, approved by whom (and with which arguments), executed with what. */
    public Map<String, Object> receipt(Caller caller, UUID agentId, UUID decisionId) {
        if (caller.has(Role.AGENT) && !caller.isAdmin() && !agentId.equals(caller.agentId())) {
            throw new ForbiddenException("this token may only read its own agent's receipts");
        }
        ExecutionDao.Cleared decision = jdbi.withExtension(ExecutionDao.class, dao -> dao.find(caller.organizationId(),
                agentId, decisionId)).orElseThrow(() -> new NotFoundException("decision " + decisionId));
        List<ExecutionDao.Report> reports = jdbi.withExtension(ExecutionDao.class,
                dao -> dao.reports(caller.organizationId(), decisionId));
        Map<String, Object> receipt = new LinkedHashMap<>();
        receipt.put("decisionId", decision.id());
        receipt.put("agentId", decision.agentId());
        receipt.put("traceId", decision.traceId());
        JsonNode input = Json.read(decision.input(), JsonNode.class);
        Map<String, Object> proposed = new LinkedHashMap<>();
        proposed.put("at", decision.createdAt());
        proposed.put("actionType", decision.actionType());
        proposed.put("contactId", input.get("contactId"));
        proposed.put("payload", input.get("payload"));
        proposed.put("argumentsDigest", ArgumentsDigest.ofStored(decision.actionType(), decision.input()));
        receipt.put("proposed", proposed);
        Map<String, Object> decided = new LinkedHashMap<>();
        decided.put("decision", decision.decision());
        decided.put("status", decision.status());
        decided.put("reasons", Json.read(decision.reasons(), JsonNode.class));
        decided.put("rulesFired", Json.read(decision.rulesFired(), JsonNode.class));
        decided.put("ruleSetVersion", decision.ruleSetVersion());
        decided.put("agentVersion", decision.blueprintVersion());
        receipt.put("decided", decided);
        if (decision.approvalId() != null) {
            ApprovalView approval = approvals.get(caller, decision.approvalId());
            Map<String, Object> approved = new LinkedHashMap<>();
            approved.put("approvalId", approval.id());
            approved.put("status", approval.status());
            approved.put("decidedBy", approval.decidedBy());
            approved.put("decidedAt", approval.decidedAt());
            approved.put("votes", approval.votes());
            approved.put("edited", decision.approvedInput() != null);
            if (decision.approvedInput() != null) {
                JsonNode approvedInput = Json.read(decision.approvedInput(), JsonNode.class);
                approved.put("contactId", approvedInput.get("contactId"));
                approved.put("payload", approvedInput.get("payload"));
            }
            approved.put("validUntil", decision.approvedUntil());
            receipt.put("approval", approved);
        }
        receipt.put("clearedArgumentsDigest", CLEARED.contains(decision.status())
                ? ArgumentsDigest.ofStored(decision.actionType(), decision.clearedInput()) : null);
        receipt.put("executions", reports.stream().map(ExecutionService::view).toList());
        return receipt;
    }

    public Paging.Page<Map<String, Object>> violations(Caller caller, UUID agentId, Paging paging) {
        if (caller.has(Role.AGENT) && !caller.isAdmin() && !agentId.equals(caller.agentId())) {
            throw new ForbiddenException("this token may only read its own agent's violations");
        }
        return jdbi.withExtension(ExecutionDao.class, dao -> paging.of(
                dao.violations(caller.organizationId(), agentId, paging.limit(), paging.offset()).stream()
                        .map(ExecutionService::view).toList(),
                dao.countViolations(caller.organizationId(), agentId)));
    }

    private static Map<String, Object> view(ExecutionDao.Report report) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("reportId", report.id());
        view.put("decisionId", report.decisionId());
        view.put("actionType", report.actionType());
        view.put("outcome", report.outcome());
        view.put("violation", !report.outcome().equals("match"));
        view.put("reportedBy", report.reportedBy());
        view.put("reportedAt", report.createdAt());
        view.put("arguments", Json.read(report.arguments(), JsonNode.class));
        view.put("reportedDigest", report.reportedDigest());
        view.put("expectedDigest", report.expectedDigest());
        return view;
    }
}
