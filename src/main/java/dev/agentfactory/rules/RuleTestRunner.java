package dev.agentfactory.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.rules.model.ApprovalRequestFact;
import dev.agentfactory.rules.model.LlmVerdict;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.rules.model.Requester;
import dev.agentfactory.llm.LlmAdvisor;
import dev.agentfactory.web.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Runs the cases in {@code rules/tests/*.json} against a candidate bundle, like {@code opa test}:
 * its shared rules, and for action cases an agent compiled from its own templates (remembered by
 * templates for the process, so a bundle that changes only shared rules does not compile them again). The
 * server runs them before it accepts a bundle; {@code agent-factory rules test} runs them from the
 * command line.
 */
public final class RuleTestRunner {
    private static final UUID TEST_ORGANIZATION = new UUID(0, 1);
    private static final int MAX_CACHED_AGENTS = 256;

    /**
     * Test agents by templates and blueprint, for the whole process: an agent is compiled from nothing
     * else, so every build that has the same templates (a reload that changes only shared rules, the next
     * rehearsal build, another server in the same JVM) runs its action cases without compiling the agents
     * again; compiling them took half of a rule reload's CPU. Keyed by the template texts, not their
     * version: a short hash can be made to collide, and other templates would be tested with these agents.
     */
    private static final Map<AgentKey, CompiledAgent> AGENTS = java.util.Collections.synchronizedMap(
            Lru.map(MAX_CACHED_AGENTS));

    private record AgentKey(Map<String, String> templates, String blueprint) {
    }

    private final ActionPipeline pipeline = new ActionPipeline(LlmAdvisor.NONE);

    /** Every case of every test file of {@code source}, run on {@code ruleSet} and agents from {@code templates}. */
    public List<CaseResult> run(RuleSet ruleSet, TemplateSet templates, RuleSource source) {
        List<CaseResult> results = new ArrayList<>();
        for (Map.Entry<String, String> file : source.tests().entrySet()) {
            results.addAll(runFile(ruleSet, templates, file.getKey(), file.getValue()));
        }
        return results;
    }

    /**
     * The action cases of {@code source}, read and compiled once, as work that runs each of them through
     * the decision pipeline again: what a new rule set is warmed up with (the decision path, without
     * re-reading the test files or running the blueprint and routing cases that decisions never reach).
     * Cases that cannot be read are left out: the tests have already reported them.
     */
    public List<Runnable> actionCases(RuleSet ruleSet, TemplateSet templates, RuleSource source) {
        List<Runnable> cases = new ArrayList<>();
        for (String text : source.tests().values()) {
            RuleTestFile tests;
            try {
                tests = Json.MAPPER.readValue(text, RuleTestFile.class);
            } catch (JsonProcessingException e) {
                continue;
            }
            for (RuleTestFile.Case testCase : tests.cases()) {
                if ("action".equals(testCase.kind()) && testCase.action() != null) {
                    try {
                        BlueprintSpec spec = Json.MAPPER.treeToValue(merge(tests.base(), testCase.blueprint()),
                                BlueprintSpec.class);
                        java.util.function.Supplier<Evaluation> prepared = prepare(ruleSet, templates, spec, testCase);
                        cases.add(prepared::get);
                    } catch (JsonProcessingException | RuntimeException e) {
                        // not runnable: reported by the tests themselves
                    }
                }
            }
        }
        return cases;
    }

    /** The failed cases as errors with file and line. */
    public static List<RuleError> failures(List<CaseResult> results) {
        return results.stream().filter(r -> !r.passed())
                .map(r -> new RuleError(r.file(), r.line(), "test case '" + r.name() + "' failed: "
                        + String.join("; ", r.failures())))
                .toList();
    }

    private List<CaseResult> runFile(RuleSet ruleSet, TemplateSet templates, String file, String text) {
        RuleTestFile tests;
        try {
            tests = Json.MAPPER.readValue(text, RuleTestFile.class);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            return List.of(new CaseResult(file, line, "(file)", List.of("unreadable: " + e.getOriginalMessage())));
        }
        List<CaseResult> results = new ArrayList<>();
        for (RuleTestFile.Case testCase : tests.cases()) {
            int line = lineOf(text, testCase.name());
            try {
                results.add(new CaseResult(file, line, testCase.name(), runCase(ruleSet, templates, tests.base(), testCase)));
            } catch (RuntimeException e) {
                results.add(new CaseResult(file, line, testCase.name(), List.of("could not run: " + e.getMessage())));
            }
        }
        return results;
    }

    private List<String> runCase(RuleSet ruleSet, TemplateSet templates, JsonNode base, RuleTestFile.Case testCase) {
        if (testCase.expect() == null) {
            return List.of("the case has no 'expect'");
        }
        BlueprintSpec spec;
        try {
            spec = Json.MAPPER.treeToValue(merge(base, testCase.blueprint()), BlueprintSpec.class);
        } catch (JsonProcessingException e) {
            return List.of("the blueprint is not a valid blueprint: " + e.getOriginalMessage());
        }
        String kind = testCase.kind() == null ? "blueprint" : testCase.kind();
        return switch (kind) {
            case "blueprint" -> blueprintFailures(testCase, new BlueprintValidator(testCase.callbackHosts() == null
                    ? java.util.Set.of() : java.util.Set.copyOf(testCase.callbackHosts()))
                    .validate(ruleSet, spec, requester(testCase)));
            case "action" -> actionFailures(testCase, evaluate(ruleSet, templates, spec, testCase));
            case "routing" -> routingFailures(testCase, ApprovalRouter.route(ruleSet, request(testCase)));
            default -> List.of("unknown kind '" + kind + "'; allowed: blueprint, action, routing");
        };
    }

    private static Requester requester(RuleTestFile.Case testCase) {
        RuleTestFile.Requester who = testCase.requester();
        return new Requester(who == null || who.principal() == null ? "pm" : who.principal(),
                who != null && Boolean.TRUE.equals(who.admin()));
    }

    private Evaluation evaluate(RuleSet ruleSet, TemplateSet templateSet, BlueprintSpec spec, RuleTestFile.Case testCase) {
        return prepare(ruleSet, templateSet, spec, testCase).get();
    }

    /** An action case read and its agent compiled: what is left is the pipeline's own work. */
    private java.util.function.Supplier<Evaluation> prepare(RuleSet ruleSet, TemplateSet templateSet, BlueprintSpec spec,
                                                            RuleTestFile.Case testCase) {
        if (testCase.action() == null) {
            throw new IllegalArgumentException("an action case needs an 'action'");
        }
        ActionInput input;
        try {
            input = Json.MAPPER.treeToValue(testCase.action(), ActionInput.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the action is not valid: " + e.getOriginalMessage());
        }
        CompiledAgent agent = AGENTS.computeIfAbsent(new AgentKey(templateSet.texts(), Json.write(spec)),
                key -> AgentCompiler.compile(templateSet, TEST_ORGANIZATION, new UUID(0, 2), new UUID(0, 3), 1, spec));
        ProposedAction action = new ProposedAction(input.actionType(), input.confidence() == null ? 1.0 : input.confidence(),
                input.contactId(), input.contextTypes(), input.accessLevel(), input.payload(), input.userOverrides(),
                input.reasoning());
        RuleTestFile.Llm llm = testCase.llm();
        LlmVerdict verdict = llm == null ? new LlmVerdict(false, false, "no LLM in this rule test")
                : new LlmVerdict(!Boolean.FALSE.equals(llm.used()), Boolean.TRUE.equals(llm.requireHuman()),
                        llm.reason() == null ? "test verdict" : llm.reason());
        boolean paused = Boolean.TRUE.equals(testCase.paused());
        List<?> history = testCase.history() == null ? List.of() : testCase.history();
        return () -> pipeline.evaluate(ruleSet, agent, paused, action, verdict, history);
    }

    private static List<String> blueprintFailures(RuleTestFile.Case testCase, ValidationReport report) {
        RuleTestFile.Expect expect = testCase.expect();
        List<String> failures = firing(expect, report.rulesFired());
        if (expect.valid() != null && expect.valid() != report.valid()) {
            failures.add("expected valid=" + expect.valid() + " but was " + report.valid()
                    + " (findings: " + report.findings().stream().map(f -> f.ruleId() + " " + f.severity()).toList() + ")");
        }
        if (expect.requiresApproval() != null && expect.requiresApproval() != report.requiresApproval()) {
            failures.add("expected requiresApproval=" + expect.requiresApproval() + " but was " + report.requiresApproval());
        }
        if (expect.riskLevel() != null && expect.riskLevel() != report.riskLevel()) {
            failures.add("expected riskLevel " + expect.riskLevel() + " but was " + report.riskLevel());
        }
        return failures;
    }

    private static List<String> actionFailures(RuleTestFile.Case testCase, Evaluation evaluation) {
        RuleTestFile.Expect expect = testCase.expect();
        List<String> failures = firing(expect, evaluation.rulesFired());
        if (expect.decision() != null && expect.decision() != evaluation.decision()) {
            failures.add("expected decision " + expect.decision() + " but was " + evaluation.decision()
                    + " (reasons: " + evaluation.reasons() + ")");
        }
        if (expect.scope() != null && expect.scope() != evaluation.scope()) {
            failures.add("expected scope " + expect.scope() + " but was " + evaluation.scope());
        }
        if (expect.riskAtLeast() != null && evaluation.riskScore() < expect.riskAtLeast()) {
            failures.add("expected risk at least " + expect.riskAtLeast() + " but was " + evaluation.riskScore());
        }
        if (expect.riskBelow() != null && evaluation.riskScore() >= expect.riskBelow()) {
            failures.add("expected risk below " + expect.riskBelow() + " but was " + evaluation.riskScore());
        }
        if (expect.reasonContains() != null
                && evaluation.reasons().stream().noneMatch(r -> r.contains(expect.reasonContains()))) {
            failures.add("expected a reason containing '" + expect.reasonContains() + "' but got " + evaluation.reasons());
        }
        return failures;
    }

    private static ApprovalRequestFact request(RuleTestFile.Case testCase) {
        if (testCase.request() == null) {
            throw new IllegalArgumentException("a routing case needs a 'request'");
        }
        try {
            // absent numbers and flags are 0 and false in a test request
            return Json.MAPPER.readerFor(ApprovalRequestFact.class)
                    .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .readValue(testCase.request());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the request is not valid: " + e.getMessage());
        }
    }

    private static List<String> routingFailures(RuleTestFile.Case testCase, Route route) {
        RuleTestFile.Expect expect = testCase.expect();
        List<String> failures = firing(expect, route.rulesFired());
        check(failures, "requiredApprovals", expect.requiredApprovals(), route.requiredApprovals());
        check(failures, "approverRole", expect.approverRole(), route.approverRole());
        check(failures, "timeoutSeconds", expect.timeoutSeconds(), route.timeoutSeconds());
        check(failures, "priority", expect.priority(), route.priority());
        check(failures, "escalatesTo", expect.escalatesTo(), route.escalationRole() == null ? "" : route.escalationRole());
        check(failures, "excluded", expect.excluded() == null ? null : new TreeSet<>(expect.excluded()),
                route.excluded().stream().map(ExcludedVoter::principal).collect(Collectors.toCollection(TreeSet::new)));
        return failures;
    }

    private static void check(List<String> failures, String what, Object expected, Object actual) {
        if (expected != null && !expected.equals(actual)) {
            failures.add("expected " + what + " " + expected + " but was " + actual);
        }
    }

    private static List<String> firing(RuleTestFile.Expect expect, List<String> fired) {
        List<String> failures = new ArrayList<>();
        for (String id : expect.fired()) {
            if (!fired.contains(id)) {
                failures.add("expected " + id + " to fire but it did not (fired: " + fired + ")");
            }
        }
        for (String id : expect.notFired()) {
            if (fired.contains(id)) {
                failures.add("expected " + id + " not to fire but it did");
            }
        }
        return failures;
    }

    /** {@code override} laid over {@code base}: objects merge field by field, anything else (null too) replaces. */
    static JsonNode merge(JsonNode base, JsonNode override) {
        if (base == null || base.isNull()) {
            return override == null ? Json.MAPPER.createObjectNode() : override;
        }
        if (override == null) {
            return base;
        }
        if (!base.isObject() || !override.isObject()) {
            return override;
        }
        ObjectNode merged = base.deepCopy();
        override.fields().forEachRemaining(field ->
                merged.set(field.getKey(), merge(merged.get(field.getKey()), field.getValue())));
        return merged;
    }

    private static int lineOf(String text, String caseName) {
        if (caseName == null) {
            return 0;
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("\"" + caseName + "\"")) {
                return i + 1;
            }
        }
        return 0;
    }
}
