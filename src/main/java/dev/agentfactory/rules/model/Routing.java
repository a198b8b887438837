package dev.agentfactory.rules.model;

import org.kie.api.runtime.rule.RuleContext;

/**
 * Result facts of the routing rules. Several rules may speak; they combine conservatively: the
 * most approvals, the shortest deadline, the highest priority, the approver group of the highest
 * rank, an escalation if any rule asks for one, and every exclusion any rule makes.
 */
public final class Routing {
    private Routing() {
    }

    /** At least this many distinct approvers. */
    public record Approvals(String ruleId, int count) {
    }

    /** Who may vote: a role (APPROVER, ADMIN, COMPLIANCE). The highest rank wins. */
    public record Approvers(String ruleId, String role, int rank) {
    }

    /** The request expires (or escalates) at the latest this many seconds after it is raised. */
    public record Deadline(String ruleId, long seconds) {
    }

    /** Queue order: higher first. */
    public record Priority(String ruleId, int level) {
    }

    /** At the deadline, hand the request once to {@code role} with a new deadline instead of expiring it. */
    public record Escalation(String ruleId, String role, long seconds) {
    }

    /**
     * {@code principal} may not vote on this request, for {@code reason}. Exclusions only add to the
     * ones the server always makes (the requester, whoever deployed the agent or holds its tokens).
     */
    public record Exclusion(String ruleId, String principal, String reason) {
    }

    /**
     * An approver may turn the approval into a standing grant (the same action type for this contact
     * or this agent) for at most {@code maxHours} and {@code maxUses}; without it nobody may.
     */
    public record Grantable(String ruleId, int maxHours, int maxUses) {
    }

    public static Grantable grantable(RuleContext drools, int maxHours, int maxUses) {
        return new Grantable(id(drools), maxHours, maxUses);
    }

    public static Approvals approvals(RuleContext drools, int count) {
        return new Approvals(id(drools), count);
    }

    public static Approvers approvers(RuleContext drools, String role, int rank) {
        return new Approvers(id(drools), role, rank);
    }

    public static Deadline deadline(RuleContext drools, long seconds) {
        return new Deadline(id(drools), seconds);
    }

    public static Priority priority(RuleContext drools, int level) {
        return new Priority(id(drools), level);
    }

    public static Escalation escalation(RuleContext drools, String role, long seconds) {
        return new Escalation(id(drools), role, seconds);
    }

    public static Exclusion exclude(RuleContext drools, String principal, String reason) {
        return new Exclusion(id(drools), principal, reason);
    }

    private static String id(RuleContext drools) {
        return RuleMetadata.id(drools.getRule().getName());
    }
}
