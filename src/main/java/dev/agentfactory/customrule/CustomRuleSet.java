package dev.agentfactory.customrule;

import dev.agentfactory.rules.CustomRules;
import dev.agentfactory.rules.CustomOutcome;

import dev.agentfactory.blueprint.ActionScope;
import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.rules.RuleRun;
import dev.agentfactory.rules.model.ApprovalNeed;
import dev.agentfactory.rules.model.ApprovalReason;
import dev.agentfactory.rules.model.BlueprintFact;
import dev.agentfactory.rules.model.CustomMatch;
import dev.agentfactory.rules.model.CustomRuleInput;
import dev.agentfactory.rules.model.CustomTarget;
import dev.agentfactory.rules.model.Decision;
import dev.agentfactory.rules.model.Explanation;
import dev.agentfactory.rules.model.Finding;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.rules.model.RiskContribution;
import dev.agentfactory.rules.model.Severity;
import dev.agentfactory.rules.model.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.kie.api.runtime.KieSessionsPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One organization's custom rules, compiled into the organization's own small knowledge base.
 * Immutable: a change builds a new set. It turns what its rules say about one action or blueprint
 * into input facts for a second run of the shared rules, which can only add to what they decide.
 * When the set could not be built, or an evaluation fails, the safe outcome wins and says why.
 */
public final class CustomRuleSet implements CustomRules {
    /** The id under which an unusable set of custom rules speaks. */
    public static final String UNAVAILABLE = "CUS-UNAVAILABLE";
    static final String CATEGORY = "custom";
    static final int FINDING_TIER = 3;

    private static final Logger log = LoggerFactory.getLogger(CustomRuleSet.class);

    /** A compiled rule: the stored rule and its leaf conditions in the order the generated DRL numbers them. */
    record Compiled(CustomRule rule, List<CompiledCondition> conditions) {
    }

    private final UUID organizationId;
    private final long version;
    private final Map<Integer, Compiled> rules;
    private final KieSessionsPool sessions;
    private final String unavailable;
    private final boolean actions;
    private final boolean blueprints;

    CustomRuleSet(UUID organizationId, long version, List<Compiled> rules, KieSessionsPool sessions,
                  String unavailable) {
        this.organizationId = organizationId;
        this.version = version;
        this.rules = rules.stream().collect(Collectors.toUnmodifiableMap(c -> c.rule().number(), Function.identity()));
        this.sessions = sessions;
        this.unavailable = unavailable;
        this.actions = rules.stream().anyMatch(c -> c.rule().definition().appliesTo() == CustomTarget.ACTION);
        this.blueprints = rules.stream().anyMatch(c -> c.rule().definition().appliesTo() == CustomTarget.BLUEPRINT);
    }

    static CustomRuleSet empty(UUID organizationId, long version) {
        return new CustomRuleSet(organizationId, version, List.of(), null, null);
    }

    /** Stored rules that cannot be compiled: every action asks a human and every blueprint fails validation. */
    static CustomRuleSet unavailable(UUID organizationId, long version, String why) {
        String reason = why == null ? "unknown error" : why.length() > 300 ? why.substring(0, 300) + "..." : why;
        return new CustomRuleSet(organizationId, version, List.of(), null, reason);
    }

    UUID organizationId() {
        return organizationId;
    }

    long version() {
        return version;
    }

    List<CustomRule> rules() {
        return rules.values().stream().map(Compiled::rule).sorted(Comparator.comparingInt(CustomRule::number)).toList();
    }

    boolean usable() {
        return unavailable == null;
    }

    @Override
    public boolean judgesActions() {
        return actions || unavailable != null;
    }

    @Override
    public boolean judgesBlueprints() {
        return blueprints || unavailable != null;
    }

    /**
     * What the organization's action rules add for one action, given what the shared rules made of it.
     *
     * @param riskScore the shared rules' score, before custom risk
     * @param agent the blueprint version of the agent proposing it
     */
    @Override
    public CustomOutcome onAction(ProposedAction action, ActionScope scope, double riskScore, UUID agentId,
                                  BlueprintSpec agent) {
        if (!judgesActions()) {
            return CustomOutcome.NONE;
        }
        List<Object> facts = new ArrayList<>();
        List<String> fired = new ArrayList<>();
        for (Firing firing : run(CustomTarget.ACTION, new ActionSubject(action, scope, riskScore, agentId, agent))) {
            String id = firing.ruleId();
            fired.add(id);
            if (firing.outcome() instanceof Outcome.Risk risk) {
                facts.add(new RiskContribution(id, risk.points(), risk.reason()));
                facts.add(new Explanation(id, firing.text(risk.reason() + " (risk +" + risk.points() + ")")));
            } else if (firing.outcome() instanceof Outcome.RequireApproval approval) {
                String reason = firing.text(approval.reason());
                // hard and mandatory: no override mode and no LLM may waive what the organization requires
                facts.add(new ApprovalReason(id, reason, true, true));
                facts.add(new Verdict(id, Decision.REQUIRE_APPROVAL, reason));
            }
        }
        return new CustomOutcome(fired, facts);
    }

    /** What the organization's blueprint rules add to one blueprint's validation. */
    @Override
    public CustomOutcome onBlueprint(BlueprintFact blueprint) {
        if (!judgesBlueprints()) {
            return CustomOutcome.NONE;
        }
        List<Object> facts = new ArrayList<>();
        List<String> fired = new ArrayList<>();
        for (Firing firing : run(CustomTarget.BLUEPRINT, new BlueprintSubject(blueprint))) {
            String id = firing.ruleId();
            fired.add(id);
            if (firing.outcome() instanceof Outcome.Finding finding) {
                facts.add(new Finding(id, FINDING_TIER, finding.severity(), CATEGORY, firing.text(finding.message()),
                        finding.field()));
            } else if (firing.outcome() instanceof Outcome.RequireApproval approval) {
                facts.add(new ApprovalNeed(id, firing.text(approval.reason())));
            }
        }
        return new CustomOutcome(fired, facts);
    }

    /** A rule that fired: its outcome and the notes on conditions that counted as met without being judged. */
    private record Firing(String ruleId, Outcome outcome, List<String> notes) {
        String text(String base) {
            return notes.isEmpty() ? base : base + " (" + String.join("; ", notes) + ")";
        }
    }

    /** The matching rules, in rule-number order; a set that cannot judge gives one firing saying why. */
    private List<Firing> run(CustomTarget target, Subject subject) {
        if (unavailable != null) {
            return List.of(failed(target, "the organization's custom rules could not be loaded (" + unavailable + ")"));
        }
        Trace trace = new Trace();
        try {
            RuleRun run = RuleRun.execute(sessions, List.of(new CustomRuleInput(target,
                    (rule, condition) -> rules.get(rule).conditions().get(condition).test(subject, trace, rule))));
            return run.results(CustomMatch.class).stream()
                    .map(match -> rules.get(Integer.parseInt(match.ruleId().substring(CustomRule.ID_PREFIX.length()))))
                    .sorted(Comparator.comparingInt(c -> c.rule().number()))
                    .map(c -> new Firing(c.rule().ruleId(), c.rule().definition().then(), trace.notes(c.rule().number())))
                    .toList();
        } catch (RuntimeException e) {
            log.error("custom rules of organization {} failed on a {}; the safe outcome stands", organizationId,
                    target.json(), e);
            return List.of(failed(target, "the organization's custom rules failed: " + e.getClass().getSimpleName()));
        }
    }

    private static Firing failed(CustomTarget target, String why) {
        Outcome outcome = target == CustomTarget.ACTION
                ? new Outcome.RequireApproval(why + "; a human decides")
                : new Outcome.Finding(Severity.ERROR, null, why + "; blueprints fail validation until it is fixed");
        return new Firing(UNAVAILABLE, outcome, List.of());
    }
}
