package dev.agentfactory.customrule;

import static dev.agentfactory.support.CustomRules.actionExample;
import static dev.agentfactory.support.CustomRules.actionRule;
import static dev.agentfactory.support.CustomRules.leaf;
import static dev.agentfactory.support.CustomRules.requireApproval;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The step budget of a {@code matches} condition counts characters read, and Java's regex engine can
 * loop without reading any: an empty group repeated {@code {65535}} times, nested three deep, never
 * comes back, on any input. Such patterns are refused when the rule is stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StepFreePatternTest {
    private static final String RULES = "/api/validation/rules";
    private static final String NESTED_EMPTY_LOOPS = "(?:(?:(?:){65535}){65535}){65535}";

    private TestServer server;
    private String compliance;

    @BeforeAll
    void start() {
        server = TestServer.start("stepfree");
        String organization = server.organization("stepfree");
        compliance = server.token(organization, "cora", "COMPLIANCE");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void the_budget_cannot_see_a_loop_that_reads_nothing() {
        // the control: nine million empty iterations, not one character read, so a budget of ten never runs out
        Optional<Boolean> found = BoundedPattern.compile("(?:(?:){3000}){3000}x")
                .find("x", new BoundedPattern.Budget(10));

        assertEquals(Optional.of(true), found);
    }

    private HttpResult store(String name, String pattern, String firingNote) {
        return server.post(RULES, compliance, actionRule(name, leaf("payload.note", "matches", pattern),
                requireApproval("notes like that need a human"),
                List.of(actionExample("fires", "GenerateRecommendation", 0.9, "payload", Map.of("note", firingNote)),
                        actionExample("quiet", "GenerateRecommendation", 0.9))));
    }

    @Test
    void patterns_that_can_loop_without_reading_are_refused_when_stored() {
        Map<String, String> patterns = Map.of(
                "nested-empty-loops", NESTED_EMPTY_LOOPS,
                "empty-choices", "(|)".repeat(40) + "^x",
                "empty-lookaheads", "(?=(?:(?=x){9999}){9999})x",
                "repeated-anchors", "(?:^){99999}(?:x|^){99999}",
                "empty-backreference", "()\\1{99999}x");
        patterns.forEach((name, pattern) -> {
            long started = System.nanoTime();
            HttpResult stored = store(name, pattern, "x");
            long millis = (System.nanoTime() - started) / 1_000_000;

            assertEquals(400, stored.status(), name + ": " + stored.body());
            JsonNode detail = stored.json().at("/error/details/0");
            assertEquals("when.value", detail.get("field").asText(), stored.body());
            assertTrue(millis < 5_000, name + " answered in " + millis + " ms");
        });
        JsonNode listed = server.get(RULES, compliance).json();
        assertEquals(0, listed.get("customRules").size(), listed.toString());
    }

    @Test
    void ordinary_patterns_are_still_stored_and_judged() {
        HttpResult stored = store("wire-transfers", "(?i)^wire (transfer|payment)s?\\b.*\\d{4,}$",
                "Wire transfer of 25000");
        assertEquals(201, stored.status(), stored.body());
        assertTrue(server.get(RULES, compliance).body().contains("wire-transfers"));
    }
}
