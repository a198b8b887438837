package dev.agentfactory.customrule;

import static dev.agentfactory.support.CustomRules.actionExample;
import static dev.agentfactory.support.CustomRules.actionRule;
import static dev.agentfactory.support.CustomRules.any;
import static dev.agentfactory.support.CustomRules.leaf;
import static dev.agentfactory.support.CustomRules.requireApproval;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code contains} is a substring search: up to text times needle length. An organization's agent
 * sent a note of 900,000 a's against 50 conditions looking for 999 a's and a b: some 0.2 s of CPU per
 * condition, 10 s for this one rule, about 18 minutes for 100 such rules, per action. Searches are now
 * linear and spend the evaluation's step budget like patterns do; what could not be searched counts as met.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchBudgetTest {
    private static final String NEEDLE = "a".repeat(999) + "b";

    private TestServer server;
    private String agentId;
    private String agent;

    @BeforeAll
    void start() {
        server = TestServer.start("searchbudget");
        String organization = server.organization("searchbudget");
        String pm = server.token(organization, "pat", "PM");
        String compliance = server.token(organization, "cora", "COMPLIANCE");
        agentId = Agents.createAndDeploy(server, pm, Blueprints.with(Blueprints.valid("Searched"), "actionConfig",
                "allowedActionTypes", List.of("GenerateRecommendation")));
        agent = Agents.agentToken(server, pm, agentId);
        List<Object> conditions = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            conditions.add(leaf("payload.note", "contains", NEEDLE.substring(i)));
        }
        HttpResult stored = server.post("/api/validation/rules", compliance, actionRule("suspicious-notes",
                any(conditions.toArray()), requireApproval("suspicious notes need a human"),
                List.of(actionExample("fires", "GenerateRecommendation", 0.9, "payload", Map.of("note", "x" + NEEDLE)),
                        actionExample("quiet", "GenerateRecommendation", 0.9, "payload", Map.of("note", "hello")))));
        assertEquals(201, stored.status(), stored.body());
    }

    @Test
    void comparing_a_huge_list_counts_as_met_once_the_budget_is_spent() {
        String organization = server.organization("hugelists");
        String compliance = server.token(organization, "cora", "COMPLIANCE");
        String pm = server.token(organization, "pat", "PM");
        String listAgentId = Agents.createAndDeploy(server, pm, Blueprints.with(Blueprints.valid("Listed"),
                "actionConfig", "allowedActionTypes", List.of("GenerateRecommendation")));
        String listAgent = Agents.agentToken(server, pm, listAgentId);
        List<Object> codes = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            codes.add("code-" + i);
        }
        List<Object> conditions = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            conditions.add(leaf("payload.items", "in", codes));
        }
        assertEquals(201, server.post("/api/validation/rules", compliance, actionRule("blocked-codes",
                any(conditions.toArray()), requireApproval("blocked codes need a human"),
                List.of(actionExample("fires", "GenerateRecommendation", 0.9, "payload", Map.of("items", List.of("code-7"))),
                        actionExample("quiet", "GenerateRecommendation", 0.9, "payload", Map.of("items", List.of("x"))))))
                .status());
        Map<String, Object> action = new HashMap<>(Map.of("actionType", "GenerateRecommendation", "confidence", 0.95));
        action.put("payload", Map.of("items", java.util.Collections.nCopies(200_000, 0)));

        long started = System.nanoTime();
        JsonNode decision = Agents.propose(server, listAgent, listAgentId, action);
        long millis = (System.nanoTime() - started) / 1_000_000;

        // before: 500 million comparisons, 23 s of CPU for one request (and 100 rules may hold 100 such)
        assertTrue(millis < 5_000, "answered in " + millis + " ms");
        assertEquals("REQUIRE_APPROVAL", decision.get("decision").asText(), decision.toString());
        assertTrue(decision.get("reasons").toString().contains("ran out of steps"), decision.toString());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private JsonNode recommend(String note) {
        Map<String, Object> action = new HashMap<>(Map.of("actionType", "GenerateRecommendation", "confidence", 0.95));
        action.put("payload", Map.of("note", note));
        return Agents.propose(server, agent, agentId, action);
    }

    @Test
    void the_linear_search_finds_what_string_index_of_finds() {
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < 20_000; i++) {
            String text = randomText(random, random.nextInt(30));
            String needle = randomText(random, random.nextInt(6));
            assertEquals(text.indexOf(needle), CompiledCondition.indexOf(text, needle), text + " / " + needle);
        }
    }

    private static String randomText(java.util.Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append("ab".charAt(random.nextInt(2)));
        }
        return text.toString();
    }

    @Test
    void a_search_too_costly_for_the_budget_counts_as_met_and_answers_fast() {
        long started = System.nanoTime();
        JsonNode decision = recommend("a".repeat(900_000));
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(millis < 3_000, "answered in " + millis + " ms");
        assertEquals("REQUIRE_APPROVAL", decision.get("decision").asText(), decision.toString());
        assertTrue(decision.get("reasons").toString().contains("ran out of steps"), decision.toString());
        assertEquals("EXECUTE", recommend("hello").get("decision").asText(), "ordinary notes are still searched");
        assertEquals("REQUIRE_APPROVAL", recommend("see " + NEEDLE).get("decision").asText());
    }
}
