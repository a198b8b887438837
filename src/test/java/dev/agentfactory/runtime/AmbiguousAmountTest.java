package dev.agentfactory.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A hostile agent sends an amount the server reads one way and the system that carries the action
 * out reads another: a key given twice (we read the last, a first-wins parser the first), or spelled
 * {@code Amount} (a case-insensitive reader takes it for the amount). Neither slips past the amount
 * rule: the first is a 400, the second needs a human.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AmbiguousAmountTest {
    private TestServer server;
    private String agentId;
    private String token;

    @BeforeAll
    void start() {
        server = TestServer.start("ambiguous_amount");
        String pm = server.token(server.defaultOrganizationId(), "amb", "PM");
        agentId = Agents.createAndDeploy(server, pm, Blueprints.valid("Ambiguous amounts"));
        token = Agents.agentToken(server, pm, agentId);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private HttpResult propose(String payload) {
        return server.post("/api/agents/" + agentId + "/actions", token, """
                {"actions": [{"actionType": "GenerateRecommendation", "confidence": 0.9, "payload": %s}]}
                """.formatted(payload));
    }

    @Test
    void a_key_given_twice_is_refused() {
        HttpResult twice = propose("{\"amount\": 5000000, \"amount\": 1}");

        assertEquals(400, twice.status(), twice.body());
        assertTrue(twice.json().at("/error/message").asText().contains("Duplicate field 'amount'"), twice.body());
        assertEquals("body", twice.json().at("/error/details/0/field").asText(), twice.body());
    }

    @Test
    void an_amount_spelled_another_way_needs_a_human() {
        assertEquals("EXECUTE", propose("{\"amount\": 1}").json().at("/decisions/0/decision").asText(),
                "the control: a small amount alone runs");

        for (String payload : new String[] {"{\"Amount\": 5000000}", "{\"amount\": 1, \"AMOUNT\": 5000000}",
                "{\"amount \": 5000000}"}) {
            HttpResult result = propose(payload);
            assertEquals(200, result.status(), result.body());
            JsonNode decision = result.json().at("/decisions/0");
            assertEquals("REQUIRE_APPROVAL", decision.get("decision").asText(), payload + ": " + decision);
            assertTrue(decision.get("reasons").toString().contains("ambiguous"), payload + ": " + decision);
        }
        assertEquals("EXECUTE", propose("{\"amounts\": [5000000], \"note\": \"amount\"}").json()
                .at("/decisions/0/decision").asText(), "other keys are not amounts");
    }
}
