package dev.agentfactory.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.rules.CaseResult;
import dev.agentfactory.rules.RuleTestRunner;
import dev.agentfactory.web.Json;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The rules we ship: they compile, carry their metadata, and every rule has a case that fires it and one that does not. */
class ShippedRulesTest {
    private static final Path RULES = Path.of("rules");

    private static RuleSet compiled() {
        RuleCompiler.Compilation compilation = RuleCompiler.compile(RuleSource.read(RULES));
        if (compilation instanceof RuleCompiler.Failed failed) {
            throw new AssertionError("the shipped rules do not compile: " + failed.errors());
        }
        return ((RuleCompiler.Compiled) compilation).ruleSet();
    }

    @TestFactory
    Stream<DynamicTest> every_shipped_drl_file_compiles_on_its_own() {
        RuleSource all = RuleSource.read(RULES);
        return all.drl().entrySet().stream().map(file -> DynamicTest.dynamicTest(file.getKey(), () ->
                assertInstanceOf(RuleCompiler.Compiled.class,
                        RuleCompiler.compile(RuleSource.of(Map.of(file.getKey(), file.getValue()), Map.of())),
                        file.getKey() + " does not compile")));
    }

    @Test
    void the_whole_shipped_set_compiles_with_metadata_on_every_rule() {
        RuleSet set = compiled();
        assertTrue(set.rules().size() >= 25, "rules: " + set.rules().size());
        for (RuleInfo rule : set.rules()) {
            assertTrue(rule.description() != null && !rule.description().isBlank(), rule.id());
            assertTrue(rule.id().matches("[A-Z][A-Z0-9]*(-[A-Z0-9]+)+"), rule.id());
        }
        Set<String> ids = new HashSet<>();
        set.rules().forEach(r -> ids.add(r.id()));
        assertTrue(ids.containsAll(List.of("BP-SEC-001", "BP-SEC-002", "BP-SEC-003", "BP-SEC-004")),
                "the four security rules DESIGN section 2 names");
    }

    @TestFactory
    Stream<DynamicTest> every_shipped_rule_test_case_passes() {
        RuleSet set = compiled();
        List<CaseResult> results = new RuleTestRunner().run(set, TemplateSet.read(RULES), RuleSource.read(RULES));
        assertTrue(results.size() > 40, "cases: " + results.size());
        return results.stream().map(result -> DynamicTest.dynamicTest(result.file() + " :: " + result.name(),
                () -> assertTrue(result.passed(), String.join("\n", result.failures()))));
    }

    @Test
    void every_rule_has_a_case_that_fires_it_and_one_that_keeps_it_quiet() {
        Set<String> fired = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        RuleSource.read(RULES).tests().values().forEach(text -> {
            for (JsonNode testCase : Json.read(text, JsonNode.class).path("cases")) {
                testCase.path("expect").path("fired").forEach(id -> fired.add(id.asText()));
                testCase.path("expect").path("notFired").forEach(id -> quiet.add(id.asText()));
            }
        });
        Set<String> missingFire = new TreeSet<>();
        Set<String> missingQuiet = new TreeSet<>();
        for (RuleInfo rule : compiled().rules()) {
            if (!fired.contains(rule.id())) {
                missingFire.add(rule.id());
            }
            if (!quiet.contains(rule.id())) {
                missingQuiet.add(rule.id());
            }
        }
        assertEquals(Set.of(), missingFire, "rules no case fires");
        assertEquals(Set.of(), missingQuiet, "rules no case proves quiet");
    }
}
