package dev.agentfactory.replay;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.rules.ActionPipeline;
import dev.agentfactory.rules.BuiltBundle;
import dev.agentfactory.rules.CompiledAgent;
import dev.agentfactory.rules.Evaluation;
import dev.agentfactory.rules.RecordedState;
import dev.agentfactory.rules.RuleInfo;
import dev.agentfactory.rules.model.ActionScopeFact;
import dev.agentfactory.rules.model.AgentPolicy;
import dev.agentfactory.rules.model.ApprovalReason;
import dev.agentfactory.rules.model.ConfidenceFloor;
import dev.agentfactory.rules.model.Decision;
import dev.agentfactory.rules.model.Explanation;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.rules.model.QuotaClaim;
import dev.agentfactory.rules.model.Rejection;
import dev.agentfactory.rules.model.RiskContribution;
import dev.agentfactory.rules.model.RiskScore;
import dev.agentfactory.rules.model.Verdict;
import dev.agentfactory.web.ForbiddenException;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.NotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code GET .../decisions/{id}/explain}: the stored decision taken apart. Its input is run again
 * through the bundle and agent version it names, with the state it depended on as recorded, to
 * show what the rules saw and concluded tier by tier; the rules that fired are the stored ones.
 * For REQUIRE_APPROVAL and REJECT: the conditions that decided, and where the rules make it
 * computable, the nearest change that would have given EXECUTE (checked by running it).
 */
public final class ExplainService {

    private final Jdbi jdbi;
    private final BundleVersions bundles;
    private final ActionPipeline pipeline;

    ExplainService(Jdbi jdbi, BundleVersions bundles, ActionPipeline pipeline) {
        this.jdbi = jdbi;
        this.bundles = bundles;
        this.pipeline = pipeline;
    }

    /** One fired rule, with what it concluded on this decision. */
    public record FiredRule(String id, String name, String description, List<String> said) {
    }

    public record Tier(String tier, List<FiredRule> rules) {
    }

    /** A condition that decided the outcome; {@code hard}: no LLM may waive it; {@code mandatory}: no mode skips it. */
    public record Deciding(String ruleId, String kind, String reason, boolean hard, boolean mandatory) {
    }

    /**
     * A change that would have moved the decision towards EXECUTE.
     *
     * @param wouldDecide what the decision would then have been (checked by running the rules), or null when not run
     */
    public record Change(String ruleId, String change, String wouldDecide, String note) {
    }

    public record Explain(UUID decisionId, UUID agentId, int agentVersion, String bundleVersion, String actionType,
                          String decision, String status, Instant createdAt, boolean reproduced,
                          List<String> replayedAsRecorded, Map<String, Object> facts, List<Tier> tiers,
                          List<Deciding> deciding, List<Change> toExecute) {
    }

    public Explain explain(Caller caller, UUID agentId, UUID decisionId) {
        if (caller.has(Role.AGENT) && !caller.isAdmin() && !agentId.equals(caller.agentId())) {
            throw new ForbiddenException("this token may only read its own agent's decisions");
        }
        StoredDecisionDao.Stored stored = jdbi.withExtension(StoredDecisionDao.class, dao -> dao.find(
                caller.organizationId(), agentId, decisionId)).orElseThrow(() -> new NotFoundException("decision "
                + decisionId));
        BuiltBundle bundle = bundles.built(stored.ruleSetVersion(), "explain by " + caller.principal());
        CompiledAgent agent = new AgentVersions(jdbi).get(bundle.templates(), stored.organizationId(), agentId,
                stored.blueprintVersion());
        RecordedState state = RecordedState.read(stored.recorded());
        ProposedAction action = Json.read(stored.input(), ProposedAction.class);
        ActionPipeline.Trace trace = run(bundle, agent, state, action);
        Evaluation evaluation = state.claimed(trace.evaluation());
        List<String> fired = List.of(Json.read(stored.rulesFired(), String[].class));
        boolean reproduced = evaluation.decision().name().equals(stored.decision())
                && evaluation.rulesFired().equals(fired);
        Decision decision = Decision.valueOf(stored.decision());
        return new Explain(stored.id(), agentId, stored.blueprintVersion(), stored.ruleSetVersion(),
                stored.actionType(), stored.decision(), stored.status(), stored.createdAt(), reproduced,
                asRecorded(state), facts(action, trace), tiers(bundle, trace, fired, state),
                deciding(decision, trace, state, evaluation),
                decision == Decision.EXECUTE ? List.of() : toExecute(bundle, agent, state, action, trace, decision));
    }

    private ActionPipeline.Trace run(BuiltBundle bundle, CompiledAgent agent, RecordedState state,
                                     ProposedAction action) {
        return pipeline.trace(bundle.rules(), agent, state.paused(), action,
                state.llm() != null ? state.llm() : Replayer.NOT_RECORDED);
    }

    private static List<String> asRecorded(RecordedState state) {
        List<String> parts = new ArrayList<>();
        if (state.paused()) {
            parts.add("the agent was paused");
        }
        if (state.llm() != null) {
            parts.add("the LLM's answer: " + (state.llm().used() ? (state.llm().requireHuman() ? "a human must approve"
                    : "no human needed") + " (" + state.llm().reason() + ")" : "not used (" + state.llm().reason() + ")"));
        }
        if (state.refusedClaim() != null) {
            parts.add("the database refused the " + state.refusedClaim() + " constraint");
        }
        return parts;
    }

    private static Map<String, Object> facts(ProposedAction action, ActionPipeline.Trace trace) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("action", action);
        trace.facts(AgentPolicy.class).stream().findFirst().ifPresent(p -> facts.put("agentPolicy", p));
        trace.facts(ActionScopeFact.class).stream().filter(s -> s.actionType().equals(action.actionType()))
                .findFirst().ifPresent(s -> facts.put("scope", s));
        trace.facts(ConfidenceFloor.class).stream().findFirst().ifPresent(f -> facts.put("confidenceFloor", f));
        facts.put("riskContributions", trace.facts(RiskContribution.class));
        trace.facts(RiskScore.class).stream().findFirst().ifPresent(r -> facts.put("riskScore", r.value()));
        if (trace.evaluation().llmVerdict() != null) {
            facts.put("llmVerdict", trace.evaluation().llmVerdict());
        }
        return facts;
    }

    /** The stored rules that fired, grouped by tier (the agent's own rules first), each with what it concluded. */
    private static List<Tier> tiers(BuiltBundle bundle, ActionPipeline.Trace trace, List<String> fired,
                                    RecordedState state) {
        Map<String, RuleInfo> known = bundle.rules().rules().stream()
                .collect(Collectors.toMap(RuleInfo::id, Function.identity(), (a, b) -> a));
        Map<String, List<String>> said = said(trace);
        Map<String, List<FiredRule>> byTier = new TreeMap<>();
        for (String id : fired) {
            RuleInfo info = known.get(id);
            String tier = info == null ? (trace.agentRulesFired().contains(id) ? "agent" : "custom")
                    : "tier " + info.tier();
            byTier.computeIfAbsent(tier, t -> new ArrayList<>()).add(new FiredRule(id,
                    info == null ? id : info.name(), info == null ? null : info.description(),
                    said.getOrDefault(id, List.of())));
        }
        if (state.refusedClaim() != null) {
            byTier.computeIfAbsent("database", t -> new ArrayList<>()).add(new FiredRule(state.refusedClaim(),
                    "constraint refused when the decision was stored", null, trace.evaluation().claims().stream()
                    .filter(c -> c.kind().equals(state.refusedClaim())).map(QuotaClaim::reason).toList()));
        }
        List<Tier> tiers = new ArrayList<>();
        // the catalog (tier 0) and the agent's own rules first, custom rules and the database after the tiers
        List.of("tier 0", "agent", "tier 1", "tier 2", "tier 3", "custom", "database").forEach(t -> {
            if (byTier.containsKey(t)) {
                tiers.add(new Tier(t, byTier.remove(t)));
            }
        });
        byTier.forEach((t, rules) -> tiers.add(new Tier(t, rules)));
        return tiers;
    }

    private static Map<String, List<String>> said(ActionPipeline.Trace trace) {
        Map<String, List<String>> said = new LinkedHashMap<>();
        trace.facts(Rejection.class).forEach(r -> add(said, r.ruleId(), "rejects: " + r.reason()));
        trace.facts(RiskContribution.class).forEach(r -> add(said, r.ruleId(), "risk +" + r.points() + ": " + r.reason()));
        trace.facts(ApprovalReason.class).forEach(r -> add(said, r.ruleId(), (r.mandatory() ? "mandatory" : r.hard()
                ? "hard" : "soft") + " reason to ask: " + r.reason()));
        trace.facts(Verdict.class).forEach(v -> add(said, v.ruleId(), v.decision() + ": " + v.reason()));
        trace.facts(Explanation.class).forEach(e -> add(said, e.ruleId(), e.text()));
        trace.facts(QuotaClaim.class).forEach(c -> add(said, c.ruleId(), "claims " + c.kind() + " " + c.limit()));
        return said;
    }

    private static void add(Map<String, List<String>> said, String id, String text) {
        List<String> texts = said.computeIfAbsent(id, k -> new ArrayList<>());
        if (!texts.contains(text)) {
            texts.add(text);
        }
    }

    private static List<Deciding> deciding(Decision decision, ActionPipeline.Trace trace, RecordedState state,
                                           Evaluation evaluation) {
        List<Deciding> deciding = new ArrayList<>();
        if (decision == Decision.EXECUTE) {
            trace.facts(Verdict.class).stream().filter(v -> v.decision() == decision)
                    .forEach(v -> deciding.add(new Deciding(v.ruleId(), "verdict", v.reason(), false, false)));
            return deciding;
        }
        if (decision == Decision.REJECT) {
            trace.facts(Rejection.class).forEach(r -> deciding.add(new Deciding(r.ruleId(), "rejection", r.reason(),
                    true, true)));
            if (state.refusedClaim() != null) {
                evaluation.reasons().forEach(r -> deciding.add(new Deciding(state.refusedClaim(), "constraint", r,
                        true, true)));
            }
            return deciding;
        }
        trace.facts(Verdict.class).stream().filter(v -> v.decision() == decision).distinct()
                .forEach(v -> deciding.add(new Deciding(v.ruleId(), "verdict", v.reason(), false, false)));
        trace.facts(ApprovalReason.class).stream().distinct().forEach(r -> deciding.add(new Deciding(r.ruleId(),
                "reason to ask", r.reason(), r.hard(), r.mandatory())));
        return deciding;
    }

    /**
     * Changes the rules make computable: confidence up to the floor (run again to see what it gives)
     * and the risk threshold above the score. Other reasons are named: a human is needed while they hold.
     */
    private List<Change> toExecute(BuiltBundle bundle, CompiledAgent agent, RecordedState state,
                                   ProposedAction action, ActionPipeline.Trace trace, Decision decision) {
        List<Change> changes = new ArrayList<>();
        if (decision == Decision.REJECT) {
            trace.facts(Rejection.class).forEach(r -> changes.add(new Change(r.ruleId(), null, null,
                    "rejected whatever the mode while this holds: " + r.reason())));
            return changes;
        }
        AgentPolicy policy = trace.facts(AgentPolicy.class).stream().findFirst().orElse(null);
        ConfidenceFloor floor = trace.facts(ConfidenceFloor.class).stream().findFirst().orElse(null);
        if (floor != null && policy != null) {
            double needed = Math.max(floor.value(), policy.minConfidenceThreshold());
            if (action.confidence() < needed) {
                ProposedAction raised = new ProposedAction(action.actionType(), needed, action.contactId(),
                        action.contextTypes(), action.accessLevel(), action.payload(), action.userOverrides(),
                        action.reasoning());
                Evaluation then = state.claimed(run(bundle, agent, state, raised).evaluation());
                changes.add(new Change(reasonId(trace, "confidence " + action.confidence() + " is below"), "confidence " + action.confidence() + " -> "
                        + needed + " (the floor for " + floor.scope() + " actions)", then.decision().name(),
                        then.decision() == Decision.EXECUTE ? "this alone would have given EXECUTE"
                                : "other reasons would still ask a human: " + then.reasons()));
            }
        }
        double risk = trace.facts(RiskScore.class).stream().mapToDouble(RiskScore::value).max().orElse(0);
        if (policy != null && risk >= policy.riskThreshold()) {
            long others = trace.facts(ApprovalReason.class).stream()
                    .filter(r -> !r.reason().startsWith("risk ")).count();
            changes.add(new Change(reasonId(trace, "risk "), "riskThreshold " + policy.riskThreshold() + " -> above "
                    + risk + " (or the risk score below " + policy.riskThreshold() + ")", null, others == 0
                    ? "the risk score is the only reason to ask" : "other reasons would still ask a human"));
        }
        trace.facts(ApprovalReason.class).stream().distinct()
                .filter(r -> !r.reason().startsWith("risk ") && !r.reason().startsWith("confidence " + action.confidence()
                        + " is below"))
                .forEach(r -> changes.add(new Change(r.ruleId(), null, null, (r.mandatory()
                        ? "every override mode asks a human while this holds: " : r.hard()
                        ? "only NeverAsk skips this: " : "a reason to ask: ") + r.reason())));
        return changes;
    }

    private static String reasonId(ActionPipeline.Trace trace, String prefix) {
        return trace.facts(ApprovalReason.class).stream().filter(r -> r.reason().startsWith(prefix))
                .map(ApprovalReason::ruleId).findFirst().orElse(null);
    }
}
