package dev.agentfactory.rules;

import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.blueprint.CallbackUrls;
import dev.agentfactory.rules.model.CallbackFact;
import dev.agentfactory.rules.model.ActionTypeFact;
import dev.agentfactory.rules.model.ApprovalNeed;
import dev.agentfactory.rules.model.BlueprintFact;
import dev.agentfactory.rules.model.ContextTypeFact;
import dev.agentfactory.rules.model.Finding;
import dev.agentfactory.rules.model.Requester;
import dev.agentfactory.rules.model.RiskLevel;
import dev.agentfactory.rules.model.RiskSignal;
import dev.agentfactory.rules.model.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Runs a blueprint through the blueprint rules of one rule set, and the custom blueprint rules of
 * its organization. Pure: stores nothing. It knows the callback hosts the server allows, so the
 * rules can refuse any other.
 */
public final class BlueprintValidator {
    private final Set<String> callbackHosts;
    private final CustomRules.Lookup customRules;

    /** The shared rules alone, without any organization's custom rules (rule tests). */
    public BlueprintValidator(Set<String> callbackHosts) {
        this(callbackHosts, CustomRules.Lookup.NONE);
    }

    public BlueprintValidator(Set<String> callbackHosts, CustomRules.Lookup customRules) {
        this.callbackHosts = Set.copyOf(callbackHosts);
        this.customRules = customRules;
    }

    /** The shared rules alone (rule tests); for an organization's blueprint use the overload that names it. */
    public ValidationReport validate(RuleSet ruleSet, BlueprintSpec spec, Requester requester) {
        return validate(ruleSet, (CustomRules) null, spec, requester);
    }

    /** The shared rules and the custom blueprint rules of the organization the blueprint belongs to. */
    public ValidationReport validate(RuleSet ruleSet, UUID organizationId, BlueprintSpec spec, Requester requester) {
        return validate(ruleSet, customRules.find(organizationId).orElse(null), spec, requester);
    }

    /**
     * Custom findings and approval needs join the shared rules' second run as input facts, so the
     * risk rules see them. What the first run found counts too, so nothing the shared rules found
     * without them can be taken away.
     *
     * @param custom the organization's custom rules, or null for the shared rules alone
     */
    public ValidationReport validate(RuleSet ruleSet, CustomRules custom, BlueprintSpec spec, Requester requester) {
        BlueprintFact blueprint = BlueprintFact.of(spec);
        List<Object> facts = facts(blueprint, spec, requester);
        RuleRun run = RuleRun.execute(ruleSet.sessions(), facts);
        List<RuleRun> runs = List.of(run);
        List<String> fired = new ArrayList<>(run.fired());
        if (custom != null && custom.judgesBlueprints()) {
            CustomOutcome outcome = custom.onBlueprint(blueprint);
            if (!outcome.isEmpty()) {
                facts.addAll(outcome.facts());
                run = RuleRun.execute(ruleSet.sessions(), facts);
                runs = List.of(runs.get(0), run);
                fired = new ArrayList<>(run.fired());
                fired.addAll(outcome.fired());
            }
        }
        List<Finding> findings = new ArrayList<>(results(runs, Finding.class));
        if (run.exhausted()) {
            findings.add(new Finding("ENGINE-LOOP", 0, Severity.ERROR, "engine",
                    "rule evaluation stopped after " + RuleRun.MAX_FIRINGS + " firings: a rule keeps re-triggering itself",
                    null));
        }
        findings.sort(Comparator.comparingInt(Finding::tier).thenComparing(Finding::severity)
                .thenComparing(Finding::ruleId).thenComparing(Finding::message));
        List<String> approvalReasons = results(runs, ApprovalNeed.class).stream()
                .map(ApprovalNeed::reason).distinct().sorted().toList();
        RiskLevel risk = results(runs, RiskSignal.class).stream().map(RiskSignal::level)
                .max(Comparator.naturalOrder()).orElse(RiskLevel.Low);
        boolean valid = findings.stream().noneMatch(f -> f.severity() == Severity.ERROR);
        return new ValidationReport(valid, ruleSet.version(), risk, !approvalReasons.isEmpty(), approvalReasons,
                findings, fired.stream().distinct().toList());
    }

    private static <T> List<T> results(List<RuleRun> runs, Class<T> type) {
        return runs.size() == 1 ? runs.get(0).results(type)
                : runs.stream().flatMap(r -> r.results(type).stream()).distinct().toList();
    }

    private List<Object> facts(BlueprintFact blueprint, BlueprintSpec spec, Requester requester) {
        List<Object> facts = new ArrayList<>();
        facts.add(blueprint);
        facts.add(requester);
        String callback = spec.actionConfig().callbackUrl();
        if (callback != null) {
            facts.add(new CallbackFact(callback, CallbackUrls.host(callback).orElse(""),
                    CallbackUrls.allowed(callback, callbackHosts)));
        }
        Set<String> actionTypes = new LinkedHashSet<>(spec.actionConfig().allowedActionTypes());
        actionTypes.addAll(spec.validationConfig().highRiskActionTypes());
        actionTypes.forEach(type -> facts.add(new ActionTypeFact(type)));
        Set<String> contextTypes = new LinkedHashSet<>(spec.contextConfig().requiredContextTypes());
        contextTypes.addAll(spec.contextConfig().optionalContextTypes());
        contextTypes.forEach(type -> facts.add(new ContextTypeFact(type)));
        return facts;
    }
}
