package dev.agentfactory.rules;

import dev.agentfactory.llm.LlmQuestion;

import dev.agentfactory.llm.LlmAdvisor;

import dev.agentfactory.blueprint.ActionScope;
import dev.agentfactory.rules.model.ActionScopeFact;
import dev.agentfactory.rules.model.ActionTypeFact;
import dev.agentfactory.rules.model.AgentState;
import dev.agentfactory.rules.model.ApprovalReason;
import dev.agentfactory.rules.model.Decision;
import dev.agentfactory.rules.model.Explanation;
import dev.agentfactory.rules.model.LlmConsultation;
import dev.agentfactory.rules.model.LlmVerdict;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.rules.model.QuotaClaim;
import dev.agentfactory.rules.model.Rejection;
import dev.agentfactory.rules.model.RequestedContext;
import dev.agentfactory.rules.model.RiskScore;
import dev.agentfactory.rules.model.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The three tiers for one action: the agent's own compiled rules say what its blueprint allows
 * (policy, permitted actions and contexts), then the shared rules decide (relevance, risk,
 * override mode), and the agent's organization's custom rules add what they require. LLMDecision
 * takes a second pass with the LLM's verdict. Pure apart from the LLM call: nothing is stored here.
 */
public final class ActionPipeline {
    private final LlmAdvisor llm;
    private final CustomRules.Lookup customRules;

    /** The shared rules alone, without any organization's custom rules (rule tests). */
    public ActionPipeline(LlmAdvisor llm) {
        this(llm, CustomRules.Lookup.NONE);
    }

    public ActionPipeline(LlmAdvisor llm, CustomRules.Lookup customRules) {
        this.llm = llm;
        this.customRules = customRules;
    }

    /** @param paused whether the agent is paused now (tier 1 refuses every action of a paused agent) */
    public Evaluation evaluate(RuleSet shared, CompiledAgent agent, boolean paused, ProposedAction action) {
        return evaluate(shared, agent, paused, action, null);
    }

    /** @param llmVerdict a verdict to use instead of asking the LLM (rule tests), or null */
    public Evaluation evaluate(RuleSet shared, CompiledAgent agent, boolean paused, ProposedAction action,
                               LlmVerdict llmVerdict) {
        return evaluate(shared, customRules.find(agent.organizationId()).orElse(null), agent, paused, action,
                llmVerdict);
    }

    /** The same with the agent's recent history given (rule tests of windowed rules). */
    public Evaluation evaluate(RuleSet shared, CompiledAgent agent, boolean paused, ProposedAction action,
                               LlmVerdict llmVerdict, List<?> history) {
        return trace(shared, customRules.find(agent.organizationId()).orElse(null), agent, paused, action,
                llmVerdict, history).evaluation();
    }

    /**
     * The shared tiers, then the agent's organization's custom action rules (if it has any) on what
     * the shared rules made of the action; what they add (risk, a human's approval) goes into a
     * second run of the shared rules as input facts only, so they can add to the decision but never
     * take a rejection or a reason away.
     *
     * @param custom the organization's custom rules, or null for the shared rules alone
     * @param llmVerdict a verdict to use instead of asking the LLM (rule tests, custom rule examples), or null
     */
    public Evaluation evaluate(RuleSet shared, CustomRules custom, CompiledAgent agent, boolean paused,
                               ProposedAction action, LlmVerdict llmVerdict) {
        return trace(shared, custom, agent, paused, action, llmVerdict, List.of()).evaluation();
    }

    /** @param history the agent's recent history for the windows the rules declare ({@code RecentActions}), or none */
    public Evaluation evaluateWithHistory(RuleSet shared, CompiledAgent agent, boolean paused, ProposedAction action,
                                          List<?> history) {
        return trace(shared, customRules.find(agent.organizationId()).orElse(null), agent, paused, action, null,
                history).evaluation();
    }

    /**
     * {@link #evaluateWithHistory}, but never waits for the LLM: empty when the rules want its verdict and
     * none is given. For evaluations made under a lock: ask the LLM outside it ({@link #evaluateWithHistory}
     * gives the verdict), then evaluate again here with that verdict.
     */
    public Optional<Evaluation> evaluateWithoutAsking(RuleSet shared, CompiledAgent agent, boolean paused,
                                                      ProposedAction action, LlmVerdict llmVerdict, List<?> history) {
        try {
            return Optional.of(trace(shared, customRules.find(agent.organizationId()).orElse(null), agent, paused,
                    action, llmVerdict == null ? NOT_ASKED : llmVerdict, history).evaluation());
        } catch (LlmWanted wanted) {
            return Optional.empty();
        }
    }

    /** Stands for "do not ask" in {@link #evaluateWithoutAsking}, compared by identity; never reaches the rules. */
    private static final LlmVerdict NOT_ASKED = new LlmVerdict(false, true, "not asked");

    private static final class LlmWanted extends RuntimeException {
        LlmWanted() {
            super(null, null, false, false);
        }
    }

    /**
     * An evaluation with what the rules saw and concluded: every fact of the final run (the input, what
     * the agent's rules derived, the tier 1-3 results) and the ids of the agent's own rules that fired.
     * Nothing more is computed than {@link #evaluate} computes (explain and replay read it).
     */
    public record Trace(Evaluation evaluation, List<Object> facts, List<String> agentRulesFired) {
        public Trace {
            facts = List.copyOf(facts);
            agentRulesFired = List.copyOf(agentRulesFired);
        }

        public <T> List<T> facts(Class<T> type) {
            return facts.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    /** {@link #evaluate} with the organization's custom rules looked up, keeping the trace. */
    public Trace trace(RuleSet shared, CompiledAgent agent, boolean paused, ProposedAction action,
                       LlmVerdict llmVerdict) {
        return trace(shared, customRules.find(agent.organizationId()).orElse(null), agent, paused, action, llmVerdict,
                List.of());
    }

    public Trace trace(RuleSet shared, CustomRules custom, CompiledAgent agent, boolean paused,
                       ProposedAction action, LlmVerdict llmVerdict) {
        return trace(shared, custom, agent, paused, action, llmVerdict, List.of());
    }

    private Trace trace(RuleSet shared, CustomRules custom, CompiledAgent agent, boolean paused,
                        ProposedAction action, LlmVerdict llmVerdict, List<?> history) {
        AgentFacts.Derived derived = agent.facts().of(action.actionType(), action.contextTypes());
        List<Object> facts = new ArrayList<>();
        facts.add(action);
        action.contextTypes().stream().distinct().forEach(type -> facts.add(new RequestedContext(type)));
        facts.addAll(derived.facts());
        facts.add(new ActionTypeFact(action.actionType()));
        facts.add(new AgentState(agent.agentId().toString(), paused));
        facts.addAll(history);
        RuleRun run = RuleRun.execute(shared.sessions(), facts);
        List<String> fired = new ArrayList<>(derived.fired());
        RuleRun beforeCustom = null;
        List<String> customFired = List.of();
        if (custom != null && custom.judgesActions()) {
            CustomOutcome outcome = custom.onAction(action, scopeOf(run, action.actionType()), riskOf(run),
                    agent.agentId(), agent.spec());
            if (!outcome.isEmpty()) {
                beforeCustom = run;
                customFired = outcome.fired();
                facts.addAll(outcome.facts());
                run = RuleRun.execute(shared.sessions(), facts);
            }
        }
        LlmVerdict verdict = null;
        if (!run.results(LlmConsultation.class).isEmpty()) {
            fired.addAll(run.fired());
            if (llmVerdict == NOT_ASKED) {
                throw new LlmWanted();
            }
            verdict = llmVerdict != null ? llmVerdict : llm.advise(question(agent, action, run));
            facts.add(verdict);
            run = RuleRun.execute(shared.sessions(), facts);
        }
        fired.addAll(run.fired());
        fired.addAll(customFired);
        Evaluation evaluation = evaluation(shared, agent, action, fired.stream().distinct().toList(), run, beforeCustom,
                verdict);
        return new Trace(evaluation, run.results(Object.class), derived.fired());
    }

    /**
     * The decision of the final run. With custom rules, the run before them counts too: whatever
     * the shared rules say, what they raised without the custom facts (a rejection, a reason, a
     * stricter verdict, a higher risk) still stands.
     *
     * @param beforeCustom the run before the custom facts were added, or null when none were
     */
    private static Evaluation evaluation(RuleSet shared, CompiledAgent agent, ProposedAction action,
                                         List<String> fired, RuleRun run, RuleRun beforeCustom,
                                         LlmVerdict verdict) {
        ActionScope scope = scopeOf(run, action.actionType());
        double risk = beforeCustom == null ? riskOf(run) : Math.max(riskOf(run), riskOf(beforeCustom));
        List<Verdict> verdicts = results(run, beforeCustom, Verdict.class);
        Decision decision = verdicts.stream().map(Verdict::decision).max(Comparator.naturalOrder())
                .orElse(Decision.REQUIRE_APPROVAL);
        Set<String> reasons = new LinkedHashSet<>();
        verdicts.stream().filter(v -> v.decision() == decision).map(Verdict::reason).forEach(reasons::add);
        if (verdicts.isEmpty()) {
            reasons.add("no rule decided: a human decides");
        }
        if (decision == Decision.REJECT) {
            results(run, beforeCustom, Rejection.class).forEach(r -> reasons.add(r.reason()));
        } else {
            results(run, beforeCustom, ApprovalReason.class).forEach(r -> reasons.add(r.reason()));
        }
        results(run, beforeCustom, Explanation.class).forEach(e -> reasons.add(e.text()));
        List<QuotaClaim> claims = decision == Decision.REJECT ? List.of() : run.results(QuotaClaim.class);
        boolean hard = results(run, beforeCustom, ApprovalReason.class).stream().anyMatch(ApprovalReason::hard);
        return new Evaluation(action.actionType(), scope, decision, risk, List.copyOf(reasons), fired, claims,
                shared.version(), agent.blueprintVersion(), verdict, hard);
    }

    private static <T> List<T> results(RuleRun run, RuleRun beforeCustom, Class<T> type) {
        if (beforeCustom == null) {
            return run.results(type);
        }
        return Stream.concat(beforeCustom.results(type).stream(), run.results(type).stream())
                .distinct().toList();
    }

    private static double riskOf(RuleRun run) {
        return run.results(RiskScore.class).stream().mapToDouble(RiskScore::value).max().orElse(0);
    }

    private static ActionScope scopeOf(RuleRun run, String actionType) {
        return run.results(ActionScopeFact.class).stream().filter(s -> s.actionType().equals(actionType))
                .map(ActionScopeFact::scope).findFirst().orElse(ActionScope.RealWorld);
    }

    /** The LLM learns which reasons bind (hard: a human approves anyway) and which it may judge (soft). */
    private static LlmQuestion question(CompiledAgent agent, ProposedAction action, RuleRun run) {
        List<ApprovalReason> reasons = run.results(ApprovalReason.class);
        double risk = run.results(RiskScore.class).stream().mapToDouble(RiskScore::value).max().orElse(0);
        return new LlmQuestion(agent.spec().goal(), action.actionType(), scopeOf(run, action.actionType()).name(),
                action.confidence(), risk, agent.spec().actionConfig().riskThreshold(),
                reasons.stream().filter(ApprovalReason::hard).map(ApprovalReason::reason).distinct().toList(),
                reasons.stream().filter(r -> !r.hard()).map(ApprovalReason::reason).distinct().toList(),
                action.userOverrides(), action.payload(), action.reasoning());
    }
}
