package dev.agentfactory.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A deploy answer carries the validation's warnings and what the live rules will make of each allowed action. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeployForecastTest {
    private TestServer server;
    private String pm;

    @BeforeAll
    void start() {
        server = TestServer.start("forecast");
        pm = server.token(server.organization("forecast-org"), "pat.pm", "PM");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void the_scope_cap_warning_predicts_require_approval_and_the_real_decision_agrees() {
        String id = Agents.create(server, pm, Agents.leadAgent("Forecast"));

        HttpResult deployed = server.post("/api/agents/" + id + "/deploy", pm, "");

        assertEquals(201, deployed.status(), deployed.body());
        JsonNode answer = deployed.json();
        JsonNode warning = find(answer.get("warnings"), "ruleId", "BP-BUS-003");
        assertTrue(warning.get("message").asText().contains("SendEmail"), warning.toString());
        assertEquals(1, warning.get("atRunTime").size(), warning.toString());
        assertTrue(warning.get("atRunTime").get(0).asText().startsWith("SendEmail will be REQUIRE_APPROVAL ("),
                warning.toString());

        JsonNode email = find(answer.get("atRunTime"), "actionType", "SendEmail");
        assertEquals("REQUIRE_APPROVAL", email.get("decision").asText(), email.toString());
        assertEquals("RealWorld", email.get("scope").asText());
        assertTrue(email.get("rulesFired").size() > 0, email.toString());
        JsonNode recommendation = find(answer.get("atRunTime"), "actionType", "GenerateRecommendation");
        assertEquals("EXECUTE", recommendation.get("decision").asText(), recommendation.toString());

        String agent = Agents.agentToken(server, pm, id);
        Map<String, Object> action = new HashMap<>(Map.of("actionType", "SendEmail", "confidence", 1.0,
                "contextTypes", List.of("ContactProfile"), "contactId", "c-1"));
        assertEquals("REQUIRE_APPROVAL", Agents.propose(server, agent, id, action).get("decision").asText());
        action.put("actionType", "GenerateRecommendation");
        assertEquals("EXECUTE", Agents.propose(server, agent, id, action).get("decision").asText());
    }

    @Test
    void a_blueprint_without_warnings_has_an_empty_list_and_every_type_forecast() {
        Map<String, Object> quiet = Blueprints.with(Agents.leadAgent("Quiet"), "actionConfig", "allowedActionTypes",
                List.of("GenerateRecommendation", "SummarizeInteraction"));
        String id = Agents.create(server, pm, quiet);

        JsonNode answer = server.post("/api/agents/" + id + "/deploy", pm, "").json();

        assertEquals(0, answer.get("warnings").size(), answer.toString());
        assertEquals(2, answer.get("atRunTime").size(), answer.toString());
        answer.get("atRunTime").forEach(p -> assertEquals("EXECUTE", p.get("decision").asText(), p.toString()));
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (value.equals(item.path(field).asText())) {
                return item;
            }
        }
        throw new AssertionError("no " + field + " " + value + " in " + array);
    }
}
