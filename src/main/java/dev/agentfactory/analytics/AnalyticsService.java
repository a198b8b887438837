package dev.agentfactory.analytics;

import dev.agentfactory.rules.PolicyEngine;
import dev.agentfactory.rules.RuleInfo;
import dev.agentfactory.web.BadRequestException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Rules you can see working: how often each rule fired over time, which never fired or fired on
 * every decision, which fire where a human had to approve; how approvers and agents' approvals go,
 * with fast approvals flagged as possible rubber-stamping. Everything from stored rows.
 */
public final class AnalyticsService {
    static final Duration DEFAULT_WINDOW = Duration.ofDays(30);
    static final Set<String> UNITS = Set.of("hour", "day", "week");
    static final double DEFAULT_FAST_SECONDS = 10;
    private static final int FAST_LISTED = 50;

    private final Jdbi jdbi;
    private final PolicyEngine policy;

    public AnalyticsService(Jdbi jdbi, PolicyEngine policy) {
        this.jdbi = jdbi;
        this.policy = policy;
    }

    public record Window(Instant from, Instant to) {
    }

    public record RuleCount(String ruleId, long fired, long onRequireApproval, double shareOfRequireApproval) {
    }

    /**
     * @param overTime per bucket start, rule id -> fires
     * @param neverFired rules of the serving bundle (tiers 1-3) that fired on no decision in the window
     * @param firedOnEvery rules that fired on every decision of the window (they tell nothing apart)
     * @param requireApproval rules ranked by the REQUIRE_APPROVAL decisions they fired on (those firing on
     *     every decision left out)
     */
    public record RuleReport(Window window, String unit, long decisions, long requireApprovalDecisions,
                             List<RuleCount> rules, Map<Instant, Map<String, Long>> overTime, List<String> neverFired,
                             List<String> firedOnEvery, List<RuleCount> requireApproval) {
    }

    /** @param flagged at least half of its approvals came within {@code fastSeconds}: possible rubber-stamping */
    public record Approver(String principal, long votes, long approved, double approvalRate, double medianSeconds,
                           long fastApprovals, boolean flagged) {
    }

    public record Agent(UUID agentId, long decided, long approved, long rejected, long expired, double approvalRate,
                        double medianSeconds) {
    }

    public record ApprovalReport(Window window, double fastSeconds, List<Approver> approvers, List<Agent> agents,
                                 List<AnalyticsDao.FastVote> fastApprovals) {
    }

    public RuleReport rules(UUID organizationId, Instant from, Instant to, String unit) {
        Window window = window(from, to);
        String bucket = unit == null ? "day" : unit;
        if (!UNITS.contains(bucket)) {
            throw new BadRequestException("unit", "must be one of hour, day, week");
        }
        return jdbi.withExtension(AnalyticsDao.class, dao -> {
            long decisions = dao.decisions(organizationId, window.from(), window.to());
            List<AnalyticsDao.RuleTotal> totals = dao.totals(organizationId, window.from(), window.to());
            Map<Instant, Map<String, Long>> overTime = new LinkedHashMap<>();
            dao.firings(organizationId, window.from(), window.to(), bucket).forEach(f -> overTime
                    .computeIfAbsent(f.bucket(), b -> new LinkedHashMap<>()).put(f.ruleId(), f.count()));
            long approvals = jdbi.withHandle(h -> h.createQuery("""
                    select count(*) from decisions where organization_id = :o and created_at >= :f and created_at < :t
                       and decision = 'REQUIRE_APPROVAL'
                    """).bind("o", organizationId).bind("f", window.from()).bind("t", window.to())
                    .mapTo(Long.class).one());
            List<RuleCount> counts = totals.stream().map(t -> new RuleCount(t.ruleId(), t.fired(), t.onApproval(),
                    approvals == 0 ? 0 : (double) t.onApproval() / approvals)).toList();
            Set<String> fired = totals.stream().map(AnalyticsDao.RuleTotal::ruleId).collect(Collectors.toSet());
            List<String> never = policy.current().rules().stream().filter(r -> r.tier() >= 1).map(RuleInfo::id)
                    .filter(id -> !fired.contains(id)).sorted().toList();
            List<String> every = decisions == 0 ? List.of() : totals.stream().filter(t -> t.fired() >= decisions)
                    .map(AnalyticsDao.RuleTotal::ruleId).sorted().toList();
            List<RuleCount> deciding = counts.stream().filter(c -> c.onRequireApproval() > 0)
                    .filter(c -> !every.contains(c.ruleId()))
                    .sorted((a, b) -> Long.compare(b.onRequireApproval(), a.onRequireApproval())).toList();
            return new RuleReport(window, bucket, decisions, approvals, counts, overTime, never, every, deciding);
        });
    }

    public ApprovalReport approvals(UUID organizationId, Instant from, Instant to, Double fastSeconds) {
        Window window = window(from, to);
        double fast = fastSeconds == null ? DEFAULT_FAST_SECONDS : fastSeconds;
        if (!(fast > 0 && fast <= 86_400)) {
            throw new BadRequestException("fastSeconds", "must be more than 0 and at most 86400");
        }
        return jdbi.withExtension(AnalyticsDao.class, dao -> new ApprovalReport(window, fast,
                dao.approvers(organizationId, window.from(), window.to(), fast).stream().map(a -> new Approver(
                        a.principal(), a.votes(), a.approved(), a.votes() == 0 ? 0 : (double) a.approved() / a.votes(),
                        a.medianSeconds(), a.fast(), a.approved() > 0 && a.fast() * 2 >= a.approved())).toList(),
                dao.agents(organizationId, window.from(), window.to()).stream().map(a -> new Agent(a.agentId(),
                        a.decided(), a.approved(), a.rejected(), a.expired(),
                        a.decided() == 0 ? 0 : (double) a.approved() / a.decided(), a.medianSeconds())).toList(),
                dao.fastVotes(organizationId, window.from(), window.to(), fast, FAST_LISTED)));
    }

    static Window window(Instant from, Instant to) {
        Instant end = to == null ? Instant.now() : to;
        Instant start = from == null ? end.minus(DEFAULT_WINDOW) : from;
        if (!start.isBefore(end)) {
            throw new BadRequestException("from", "must be before to");
        }
        return new Window(start, end);
    }
}
