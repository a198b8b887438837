package dev.agentfactory.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import dev.agentfactory.web.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code payload.amount} in every form an agent might send it, on a RiskBased agent proposing an
 * inner-world action that would otherwise run: a readable amount meets the amount rule, an
 * unreadable one goes to a human, no amount changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AmountFormsTest {
    private TestServer server;
    private String agentId;
    private String token;

    @BeforeAll
    void start() {
        server = TestServer.start("amount_forms");
        String pm = server.token(server.defaultOrganizationId(), "ama", "PM");
        agentId = Agents.createAndDeploy(server, pm, Blueprints.valid("Amounts"));
        token = Agents.agentToken(server, pm, agentId);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private JsonNode proposeWithPayload(Map<String, Object> payload) {
        Map<String, Object> action = new HashMap<>(Map.of("actionType", "GenerateRecommendation", "confidence", 0.9));
        action.put("payload", payload);
        return Agents.propose(server, token, agentId, action);
    }

    private JsonNode proposeWithAmount(Object amount) {
        Map<String, Object> payload = new HashMap<>();
        payload.put("amount", amount);
        return proposeWithPayload(payload);
    }

    @Test
    void without_an_amount_the_action_runs() {
        JsonNode decision = proposeWithPayload(Map.of("note", "no money involved"));
        assertEquals("EXECUTE", decision.get("decision").asText(), decision.toString());
        JsonNode nullAmount = proposeWithAmount(null);
        assertEquals("EXECUTE", nullAmount.get("decision").asText(), "null is no amount: " + nullAmount);
        JsonNode small = proposeWithAmount("250.75");
        assertEquals("EXECUTE", small.get("decision").asText(), small.toString());
    }

    static Stream<Object> readableLargeAmounts() {
        return Stream.of(50000, "50000", " 50000 ", 5.0e4, "5e4");
    }

    @ParameterizedTest(name = "amount {0} meets the amount rule")
    @MethodSource("readableLargeAmounts")
    void a_readable_large_amount_meets_the_amount_rule(Object amount) {
        JsonNode decision = proposeWithAmount(amount);
        assertEquals("REQUIRE_APPROVAL", decision.get("decision").asText(), decision.toString());
        List<String> fired = Agents.texts(decision.get("rulesFired"));
        assertTrue(fired.contains("T2-040") && fired.contains("T2-041"), fired.toString());
        assertFalse(fired.contains("T2-042"), fired.toString());
        assertTrue(decision.get("reasons").toString().contains("the payload amount 50000.0 is beyond the limit of 1000"),
                decision.toString());
    }

    static Stream<Object> unreadableAmounts() {
        return Stream.of("50,000", "$50000", "NaN", "Infinity", "-Infinity", "0x10", "50000d", "1e999", "", "fifty",
                Map.of("value", 50000), List.of(50000), true);
    }

    @ParameterizedTest(name = "amount {0} cannot be read: a human decides")
    @MethodSource("unreadableAmounts")
    void an_unreadable_amount_needs_a_human(Object amount) {
        assertUnreadable(proposeWithAmount(amount));
    }

    @Test
    void a_number_too_big_for_a_double_is_unreadable() {
        HttpResult result = server.post("/api/agents/" + agentId + "/actions", token, """
                {"actions": [{"actionType": "GenerateRecommendation", "confidence": 0.9, "payload": {"amount": 1e999}}]}""");
        assertEquals(200, result.status(), result.body());
        assertUnreadable(result.json().get("decisions").get(0));
    }

    private static void assertUnreadable(JsonNode decision) {
        assertEquals("REQUIRE_APPROVAL", decision.get("decision").asText(), decision.toString());
        List<String> fired = Agents.texts(decision.get("rulesFired"));
        assertTrue(fired.contains("T2-042"), fired.toString());
        assertFalse(fired.contains("T2-040"), "an unreadable amount is not read as some number: " + fired);
        assertTrue(decision.get("reasons").toString().contains("unreadable amount: payload.amount is"),
                Json.write(decision));
    }
}
