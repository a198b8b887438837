package dev.agentfactory.approval;
import dev.agentfactory.rules.ExcludedVoter;

import dev.agentfactory.rules.model.ApprovalRequestFact;
import dev.agentfactory.web.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Who may not vote on a request, and why. Always: the requester, everyone who deployed or rolled
 * back the agent, everyone who minted a token bound to it (they hold its secret) and the agent's
 * own principals; then whoever the routing rules excluded when the request was raised. The
 * server's part is looked up at vote time, so a token minted after the request was raised counts.
 */
final class SeparationOfDuties {
    private static final Map<String, String> WHY = Map.of(
            "deployer", "deployed or rolled back this agent",
            "minter", "minted a token for this agent, so holds its secret",
            "agent", "acts as this agent");

    private SeparationOfDuties() {
    }

    /** The fact the routing rules see, with who wrote and deployed the agent. */
    static ApprovalRequestFact withPeople(ApprovalDao dao, ApprovalRequest request, List<ApprovalDao.Involved> involved) {
        ApprovalDao.Authors authors = dao.authors(request.organizationId(), request.agentId(), request.blueprintVersion())
                .orElse(new ApprovalDao.Authors(null, null));
        List<String> deployers = involved.stream().filter(i -> i.role().equals("deployer"))
                .map(ApprovalDao.Involved::principal).toList();
        return request.fact().withPeople(authors.createdBy(), authors.versionAuthor(), deployers);
    }

    static List<ExcludedVoter> of(ApprovalDao dao, ApprovalDao.Row row) {
        return excluded(row, dao.involved(row.organizationId(), new UUID[] {row.agentId()}));
    }

    /** Each request's excluded voters, with one look-up for all of them. */
    static Map<UUID, List<ExcludedVoter>> of(ApprovalDao dao, UUID organizationId, List<ApprovalDao.Row> rows) {
        Map<UUID, List<ApprovalDao.Involved>> byAgent = rows.isEmpty() ? Map.of()
                : dao.involved(organizationId, rows.stream().map(ApprovalDao.Row::agentId).distinct()
                        .toArray(UUID[]::new)).stream().collect(Collectors.groupingBy(ApprovalDao.Involved::agentId));
        return rows.stream().collect(Collectors.toMap(ApprovalDao.Row::id,
                row -> excluded(row, byAgent.getOrDefault(row.agentId(), List.of()))));
    }

    static List<ExcludedVoter> excluded(ApprovalDao.Row row, List<ApprovalDao.Involved> involved) {
        List<ExcludedVoter> excluded = new ArrayList<>();
        excluded.add(new ExcludedVoter(row.requestedBy(), "raised this request", null));
        involved.forEach(i -> excluded.add(new ExcludedVoter(i.principal(), WHY.get(i.role()), null)));
        excluded.addAll(List.of(Json.read(row.excluded(), ExcludedVoter[].class)));
        return excluded.stream().distinct().toList();
    }

    /** Why {@code principal} may not vote, or an empty list when it may. */
    static List<String> reasons(List<ExcludedVoter> excluded, String principal) {
        return excluded.stream().filter(e -> e.principal().equals(principal))
                .map(e -> e.ruleId() == null ? e.reason() : e.reason() + " (" + e.ruleId() + ")").toList();
    }
}
