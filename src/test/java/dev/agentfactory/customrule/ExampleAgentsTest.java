package dev.agentfactory.customrule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every change of an organization's custom rules runs every example of every rule, and an action
 * example on its own agentId or blueprint is an agent compiled for it, while the change holds the
 * organization's lock and a database connection. A compliance officer with 100 rules of 10 examples
 * on fresh agentIds made each change cost seconds of CPU (3.3 s at 30 rules); the examples of an
 * organization may now use at most {@value CustomRuleExamples#MAX_EXAMPLE_AGENTS} agents.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExampleAgentsTest {
    private static final String RULES = "/api/validation/rules";

    private TestServer server;
    private String compliance;

    @BeforeAll
    void start() {
        server = TestServer.start("exampleagents");
        compliance = server.token(server.organization("exampleagents"), "cora", "COMPLIANCE");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** A rule whose ten examples each run under an agent of their own. */
    private HttpResult ruleWithTenAgents(String name) {
        List<Map<String, Object>> examples = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            examples.add(Map.of("action", Map.of("actionType", "GenerateRecommendation", "confidence", 0.9),
                    "agentId", UUID.randomUUID().toString(), "expect", "fires"));
        }
        examples.add(Map.of("action", Map.of("actionType", "SendEmail", "confidence", 0.9),
                "agentId", UUID.randomUUID().toString(), "expect", "quiet"));
        return server.post(RULES, compliance, Map.of("name", name, "appliesTo", "action",
                "when", Map.of("field", "actionType", "op", "==", "value", "GenerateRecommendation"),
                "then", Map.of("requireApproval", "recommendations need a human"), "examples", examples));
    }

    @Test
    void examples_may_not_need_more_agents_than_the_limit() {
        for (int i = 1; i <= 3; i++) {
            HttpResult stored = ruleWithTenAgents("rule-" + i);
            assertEquals(201, stored.status(), stored.body());
        }

        HttpResult fourth = ruleWithTenAgents("rule-4");

        assertEquals(422, fourth.status(), fourth.body());
        assertTrue(fourth.json().at("/error/message").asText().contains("40 different agents"), fourth.body());
        assertEquals(3, server.get(RULES, compliance).json().get("customRules").size(), "nothing was stored");
    }
}
