package dev.agentfactory.replay;

import dev.agentfactory.rules.Evaluation;
import dev.agentfactory.rules.RecordedState;
import dev.agentfactory.web.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What a replay found, counted as it goes: outcomes old -> new, per agent and per action type, a
 * few flipped decisions with the rules that made the difference, and how much of the input was
 * replayed as recorded rather than re-decided. Holds counters and at most {@code samples} flips.
 */
public final class ImpactReport {
    /** Decisions that could not be replayed, named in the report (the rest only counted). */
    private static final int NAMED_FAILURES = 20;

    /** Replayed and flipped decisions of one agent or action type. */
    public record Counts(long replayed, long flipped) {
        Counts plus(boolean flip) {
            return new Counts(replayed + 1, flipped + (flip ? 1 : 0));
        }
    }

    /**
     * A decision whose outcome the candidate changes.
     *
     * @param onlyBefore rules that fired on the live decision and not under the candidate
     * @param onlyNow rules that fire under the candidate and did not on the live decision
     */
    public record Flip(UUID decisionId, UUID agentId, String actionType, Instant createdAt, String was, String now,
                       List<String> onlyBefore, List<String> onlyNow, List<String> reasonsNow) {
    }

    /** How many decisions took state at the time as it was recorded instead of re-deciding it. */
    public record AsRecorded(long paused, long llmAnswers, long refusedConstraints, long llmNotRecorded,
                             List<String> notes) {
    }

    public record NotReplayed(UUID decisionId, UUID agentId, String why) {
    }

    public record Result(String bundleVersion, UUID agentId, Integer agentVersion, Instant from, Instant to,
                         long replayed, long flipped, long unchanged, long notReplayed, boolean limitReached,
                         Map<String, Long> transitions, Map<UUID, Counts> byAgent, Map<String, Counts> byActionType,
                         List<Flip> samples, AsRecorded replayedAsRecorded, List<NotReplayed> failures,
                         long millis, double decisionsPerSecond) {
    }

    private final Candidate candidate;
    private final Window window;
    private final Map<String, Long> transitions = new TreeMap<>();
    private final Map<UUID, Counts> byAgent = new TreeMap<>();
    private final Map<String, Counts> byActionType = new TreeMap<>();
    private final List<Flip> samples = new ArrayList<>();
    private final List<NotReplayed> failures = new ArrayList<>();
    private long replayed;
    private long flipped;
    private long notReplayed;
    private long paused;
    private long llmAnswers;
    private long refusedConstraints;
    private long llmNotRecorded;
    private long millis;

    ImpactReport(Candidate candidate, Window window) {
        this.candidate = candidate;
        this.window = window;
    }

    void add(StoredDecisionDao.Stored stored, RecordedState state, Evaluation now, boolean llmNotRecorded) {
        boolean flip = !stored.decision().equals(now.decision().name());
        replayed++;
        transitions.merge(stored.decision() + "->" + now.decision().name(), 1L, Long::sum);
        byAgent.put(stored.agentId(), byAgent.getOrDefault(stored.agentId(), new Counts(0, 0)).plus(flip));
        byActionType.put(stored.actionType(), byActionType.getOrDefault(stored.actionType(), new Counts(0, 0)).plus(flip));
        paused += state.paused() ? 1 : 0;
        llmAnswers += state.llm() != null ? 1 : 0;
        refusedConstraints += state.refusedClaim() != null ? 1 : 0;
        this.llmNotRecorded += llmNotRecorded ? 1 : 0;
        if (flip) {
            flipped++;
            if (samples.size() < window.samples()) {
                Set<String> before = new LinkedHashSet<>(List.of(Json.read(stored.rulesFired(), String[].class)));
                Set<String> after = new LinkedHashSet<>(now.rulesFired());
                samples.add(new Flip(stored.id(), stored.agentId(), stored.actionType(), stored.createdAt(),
                        stored.decision(), now.decision().name(), minus(before, after), minus(after, before),
                        now.reasons()));
            }
        }
    }

    void notReplayed(StoredDecisionDao.Stored stored, String why) {
        notReplayed++;
        if (failures.size() < NAMED_FAILURES) {
            failures.add(new NotReplayed(stored.id(), stored.agentId(), why));
        }
    }

    void finish(long millis) {
        this.millis = millis;
    }

    public long flipped() {
        return flipped;
    }

    public Result result() {
        long seen = replayed + notReplayed;
        return new Result(candidate.bundleVersion(), candidate.agentId(), candidate.agentVersion(), window.from(),
                window.to(), replayed, flipped, replayed - flipped, notReplayed, seen >= window.limit(),
                new TreeMap<>(transitions), new TreeMap<>(byAgent),
                new TreeMap<>(byActionType), List.copyOf(samples),
                new AsRecorded(paused, llmAnswers, refusedConstraints, llmNotRecorded, NOTES), List.copyOf(failures),
                millis, millis == 0 ? replayed * 1000.0 : replayed * 1000.0 / millis);
    }

    static final List<String> NOTES = List.of(
            "re-decided: every rule of the candidate on each decision's stored input and its agent version "
                    + "(or the candidate version), with the organization's current custom rules",
            "replayed as recorded: whether the agent was paused; the LLM's answer (never asked again); a daily cap or "
                    + "cooldown the database refused is refused again and one it granted is granted (usage is not "
                    + "re-counted)",
            "where the candidate consults the LLM and the live decision did not, no answer was recorded: the "
                    + "candidate decides as without a usable LLM answer (counted in llmNotRecorded)");

    private static List<String> minus(Set<String> a, Set<String> b) {
        return a.stream().filter(x -> !b.contains(x)).toList();
    }
}
