package dev.agentfactory.ruletest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.rules.RuleError;
import dev.agentfactory.rules.RuleSet;
import dev.agentfactory.rules.RuleSetCheck;
import dev.agentfactory.rules.RuleSource;
import dev.agentfactory.rules.model.Requester;
import dev.agentfactory.validation.BlueprintValidator;
import dev.agentfactory.validation.ValidationReport;
import dev.agentfactory.web.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the cases in {@code rules/tests/*.json} against a compiled rule set, like {@code opa test}.
 * The server runs them before it accepts a reload; {@code agent-factory rules test} runs them from
 * the command line.
 */
public final class RuleTestRunner implements RuleSetCheck {

    @Override
    public List<RuleError> check(RuleSet candidate, RuleSource source) {
        return run(candidate, source).stream().filter(r -> !r.passed())
                .map(r -> new RuleError(r.file(), r.line(), "test case '" + r.name() + "' failed: "
                        + String.join("; ", r.failures())))
                .toList();
    }

    public List<CaseResult> run(RuleSet ruleSet, RuleSource source) {
        List<CaseResult> results = new ArrayList<>();
        for (Map.Entry<String, String> file : source.tests().entrySet()) {
            results.addAll(runFile(ruleSet, file.getKey(), file.getValue()));
        }
        return results;
    }

    private List<CaseResult> runFile(RuleSet ruleSet, String file, String text) {
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
                results.add(new CaseResult(file, line, testCase.name(), runCase(ruleSet, tests.base(), testCase)));
            } catch (RuntimeException e) {
                results.add(new CaseResult(file, line, testCase.name(), List.of("could not run: " + e.getMessage())));
            }
        }
        return results;
    }

    private List<String> runCase(RuleSet ruleSet, JsonNode base, RuleTestFile.Case testCase) {
        String kind = testCase.kind() == null ? "blueprint" : testCase.kind();
        if (!kind.equals("blueprint")) {
            return List.of("unknown kind '" + kind + "'; allowed: blueprint");
        }
        BlueprintSpec spec;
        try {
            spec = Json.MAPPER.treeToValue(merge(base, testCase.blueprint()), BlueprintSpec.class);
        } catch (JsonProcessingException e) {
            return List.of("the blueprint is not a valid blueprint: " + e.getOriginalMessage());
        }
        RuleTestFile.Requester who = testCase.requester();
        Requester requester = new Requester(who == null || who.principal() == null ? "pm" : who.principal(),
                who != null && Boolean.TRUE.equals(who.admin()));
        ValidationReport report = BlueprintValidator.validate(ruleSet, spec, requester);
        return failures(testCase.expect(), report);
    }

    private static List<String> failures(RuleTestFile.Expect expect, ValidationReport report) {
        List<String> failures = new ArrayList<>();
        if (expect == null) {
            return List.of("the case has no 'expect'");
        }
        if (expect.valid() != null && expect.valid() != report.valid()) {
            failures.add("expected valid=" + expect.valid() + " but was " + report.valid()
                    + " (findings: " + report.findings().stream().map(f -> f.ruleId() + " " + f.severity()).toList() + ")");
        }
        for (String id : expect.fired()) {
            if (!report.rulesFired().contains(id)) {
                failures.add("expected " + id + " to fire but it did not (fired: " + report.rulesFired() + ")");
            }
        }
        for (String id : expect.notFired()) {
            if (report.rulesFired().contains(id)) {
                failures.add("expected " + id + " not to fire but it did");
            }
        }
        if (expect.requiresApproval() != null && expect.requiresApproval() != report.requiresApproval()) {
            failures.add("expected requiresApproval=" + expect.requiresApproval() + " but was " + report.requiresApproval());
        }
        if (expect.riskLevel() != null && expect.riskLevel() != report.riskLevel()) {
            failures.add("expected riskLevel " + expect.riskLevel() + " but was " + report.riskLevel());
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
