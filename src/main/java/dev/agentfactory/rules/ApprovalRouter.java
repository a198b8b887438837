package dev.agentfactory.rules;


import dev.agentfactory.rules.model.ApprovalRequestFact;
import dev.agentfactory.rules.model.Routing;
import java.util.Comparator;
import java.util.List;

/** Routes a request with {@code rules/approvals/routing.drl}. Pure. */
public final class ApprovalRouter {
    static final String DEFAULT_ROLE = "APPROVER";

    private ApprovalRouter() {
    }

    public static Route route(RuleSet rules, ApprovalRequestFact request) {
        RuleRun run = RuleRun.execute(rules.sessions(), List.of(request));
        int approvals = Math.max(request.requiredApprovals(), run.results(Routing.Approvals.class).stream()
                .mapToInt(Routing.Approvals::count).max().orElse(1));
        String role = run.results(Routing.Approvers.class).stream()
                .max(Comparator.comparingInt(Routing.Approvers::rank)).map(Routing.Approvers::role).orElse(DEFAULT_ROLE);
        long timeout = run.results(Routing.Deadline.class).stream().mapToLong(Routing.Deadline::seconds)
                .filter(seconds -> seconds > 0).min().orElse(request.timeoutSeconds());
        timeout = Math.min(timeout, request.timeoutSeconds());
        int priority = run.results(Routing.Priority.class).stream().mapToInt(Routing.Priority::level).max().orElse(0);
        Routing.Escalation escalation = run.results(Routing.Escalation.class).stream()
                .filter(e -> !e.role().equals(role))
                .max(Comparator.comparingLong(Routing.Escalation::seconds)).orElse(null);
        List<ExcludedVoter> excluded = run.results(Routing.Exclusion.class).stream()
                .filter(e -> e.principal() != null && !e.principal().isBlank())
                .map(e -> new ExcludedVoter(e.principal(), e.reason(), e.ruleId())).distinct().toList();
        // a hard reason is never granted away, whatever a rule says (the runtime checks again at each use)
        Routing.Grantable grantable = request.hardReasons() ? null : run.results(Routing.Grantable.class).stream()
                .min(Comparator.comparingInt(Routing.Grantable::maxHours)).orElse(null);
        return new Route(approvals, role, timeout, priority, escalation == null ? null : escalation.role(),
                escalation == null ? 0 : escalation.seconds(), run.fired(), rules.version(), excluded, grantable);
    }
}
