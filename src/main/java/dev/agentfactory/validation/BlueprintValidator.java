package dev.agentfactory.validation;

import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.blueprint.CallbackUrls;
import dev.agentfactory.rules.model.CallbackFact;
import dev.agentfactory.rules.RuleRun;
import dev.agentfactory.rules.RuleSet;
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

/**
 * Runs a blueprint through the blueprint rules of one rule set. Pure: stores nothing. It knows the
 * callback hosts the server allows, so the rules can refuse any other.
 */
public final class BlueprintValidator {
    private final Set<String> callbackHosts;

    public BlueprintValidator(Set<String> callbackHosts) {
        this.callbackHosts = Set.copyOf(callbackHosts);
    }

    public ValidationReport validate(RuleSet ruleSet, BlueprintSpec spec, Requester requester) {
        RuleRun run = RuleRun.execute(ruleSet.sessions(), facts(spec, requester));
        List<Finding> findings = new ArrayList<>(run.results(Finding.class));
        if (run.exhausted()) {
            findings.add(new Finding("ENGINE-LOOP", 0, Severity.ERROR, "engine",
                    "rule evaluation stopped after " + RuleRun.MAX_FIRINGS + " firings: a rule keeps re-triggering itself",
                    null));
        }
        findings.sort(Comparator.comparingInt(Finding::tier).thenComparing(Finding::severity)
                .thenComparing(Finding::ruleId).thenComparing(Finding::message));
        List<String> approvalReasons = run.results(ApprovalNeed.class).stream()
                .map(ApprovalNeed::reason).distinct().sorted().toList();
        RiskLevel risk = run.results(RiskSignal.class).stream().map(RiskSignal::level)
                .max(Comparator.naturalOrder()).orElse(RiskLevel.Low);
        boolean valid = findings.stream().noneMatch(f -> f.severity() == Severity.ERROR);
        return new ValidationReport(valid, ruleSet.version(), risk, !approvalReasons.isEmpty(), approvalReasons,
                findings, run.fired());
    }

    private List<Object> facts(BlueprintSpec spec, Requester requester) {
        List<Object> facts = new ArrayList<>();
        facts.add(BlueprintFact.of(spec));
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
