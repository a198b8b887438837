package dev.agentfactory.customrule;

import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.rules.AgentCompiler;
import dev.agentfactory.rules.CompiledAgent;
import dev.agentfactory.rules.TemplateSet;
import dev.agentfactory.rules.RuleSet;
import dev.agentfactory.rules.model.CustomTarget;
import dev.agentfactory.rules.model.LlmVerdict;
import dev.agentfactory.rules.model.Requester;
import dev.agentfactory.rules.ActionPipeline;
import dev.agentfactory.rules.Evaluation;
import dev.agentfactory.rules.BlueprintValidator;
import dev.agentfactory.rules.ValidationReport;
import dev.agentfactory.web.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The organization's rule tests: every example of every custom rule of a candidate set, run
 * through the real pipeline for its target (an action through a compiled example agent, the
 * shared tiers and the candidate custom rules; a blueprint through validation), must fire or stay
 * quiet as it says. Examples never ask the LLM: LLMDecision agents decide as RiskBased here.
 */
public final class CustomRuleExamples {
    private static final UUID EXAMPLE_AGENT = UUID.fromString("00000000-0000-0000-0000-00000000e0a1");
    private static final LlmVerdict NO_LLM = new LlmVerdict(false, false, "custom rule examples do not ask the LLM");
    private static final Requester REQUESTER = new Requester("custom-rule-example", false);
    private static final int MAX_CACHED_AGENTS = 256;
    /**
     * Distinct agents (agentId and blueprint) the examples of one organization's action rules may run
     * under. Each is an agent compile of tens of milliseconds, and every change runs every example
     * while it holds the organization's lock and a database connection: unbounded, 100 rules with 10
     * examples on their own agentIds cost seconds of CPU per request, again and again.
     */
    static final int MAX_EXAMPLE_AGENTS = 32;

    private final Supplier<RuleSet> shared;
    private final Supplier<TemplateSet> templates;
    private final ActionPipeline pipeline;
    private final BlueprintValidator validator;
    /** Compiled example agents by template version, id and blueprint: most examples share a handful. */
    private final Map<String, CompiledAgent> agents = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, CompiledAgent> eldest) {
                    return size() > MAX_CACHED_AGENTS;
                }
            });

    public CustomRuleExamples(Supplier<RuleSet> shared, Supplier<TemplateSet> templates, ActionPipeline pipeline,
                              BlueprintValidator validator) {
        this.shared = shared;
        this.templates = templates;
        this.pipeline = pipeline;
        this.validator = validator;
    }

    List<ExampleFailure> check(CustomRuleSet candidate) {
        long agentsNeeded = candidate.rules().stream().filter(r -> r.definition().appliesTo() == CustomTarget.ACTION)
                .flatMap(r -> r.definition().examples().stream()).map(CustomRuleExamples::agentKey).distinct().count();
        if (agentsNeeded > MAX_EXAMPLE_AGENTS) {
            return List.of(new ExampleFailure("the organization's action rules", "-", "examples", "their examples run "
                    + "under " + agentsNeeded + " different agents (agentId and blueprint), at most " + MAX_EXAMPLE_AGENTS
                    + " are allowed: let examples share an agent (leave agentId out, reuse blueprints)"));
        }
        RuleSet ruleSet = shared.get();
        List<ExampleFailure> failures = new ArrayList<>();
        for (CustomRule rule : candidate.rules()) {
            List<Example> examples = rule.definition().examples();
            for (int i = 0; i < examples.size(); i++) {
                Example example = examples.get(i);
                String outcome;
                try {
                    outcome = rule.definition().appliesTo() == CustomTarget.ACTION
                            ? actionOutcome(ruleSet, candidate, rule, example)
                            : blueprintOutcome(ruleSet, candidate, rule, example);
                } catch (RuntimeException e) {
                    // e.g. an example blueprint that does not compile into an agent
                    outcome = "could not run: " + e.getMessage();
                }
                if (outcome != null) {
                    failures.add(new ExampleFailure(rule.definition().name(), rule.ruleId(), "examples[" + i + "]",
                            outcome));
                }
            }
        }
        return failures;
    }

    /** Null when the example behaved as stated, else what happened instead. */
    private String actionOutcome(RuleSet ruleSet, CustomRuleSet candidate, CustomRule rule, Example example) {
        CompiledAgent agent = agent(candidate.organizationId(),
                example.agentId() == null ? EXAMPLE_AGENT : example.agentId(), example.blueprint());
        Evaluation evaluation = pipeline.evaluate(ruleSet, candidate, agent, false,
                example.action(), NO_LLM);
        boolean fired = evaluation.rulesFired().contains(rule.ruleId());
        return fired == example.fires() ? null : mismatch(example, "decision " + evaluation.decision() + ", scope "
                + evaluation.scope() + ", risk " + evaluation.riskScore() + ", reasons " + evaluation.reasons());
    }

    private String blueprintOutcome(RuleSet ruleSet, CustomRuleSet candidate, CustomRule rule, Example example) {
        ValidationReport report = validator.validate(ruleSet, candidate, example.blueprint(), REQUESTER);
        boolean fired = report.rulesFired().contains(rule.ruleId());
        return fired == example.fires() ? null : mismatch(example, "valid " + report.valid() + ", rules fired "
                + report.rulesFired());
    }

    private static String mismatch(Example example, String what) {
        return (example.fires() ? "expected the rule to fire, but it stayed quiet ("
                : "expected the rule to stay quiet, but it fired (") + what + ")";
    }

    private static String agentKey(Example example) {
        return (example.agentId() == null ? EXAMPLE_AGENT : example.agentId()) + "\n" + Json.write(example.blueprint());
    }

    private CompiledAgent agent(UUID organizationId, UUID agentId, BlueprintSpec spec) {
        TemplateSet templateSet = templates.get();
        String key = templateSet.version() + "\n" + organizationId + "\n" + agentId + "\n" + Json.write(spec);
        return agents.computeIfAbsent(key, k -> AgentCompiler.compile(templateSet, organizationId, agentId,
                new UUID(0, 0), 1, spec));
    }
}
