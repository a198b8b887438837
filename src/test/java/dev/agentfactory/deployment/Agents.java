package dev.agentfactory.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small steps the deployment tests share: create and deploy an agent, post an event. */
final class Agents {
    private Agents() {
    }

    static Map<String, Object> leadAgent(String name) {
        return Blueprints.with(Blueprints.valid(name), "triggerConfig", "eventTriggers", List.of("lead.created"));
    }

    static String create(TestServer server, String token, Map<String, Object> blueprint) {
        HttpResult created = server.post("/api/agents", token, blueprint);
        assertEquals(201, created.status(), created.body());
        return created.json().get("id").asText();
    }

    static JsonNode deploy(TestServer server, String token, String id) {
        HttpResult deployed = server.post("/api/agents/" + id + "/deploy", token, "");
        assertEquals(201, deployed.status(), deployed.body());
        return deployed.json();
    }

    static String createAndDeploy(TestServer server, String token, Map<String, Object> blueprint) {
        String id = create(server, token, blueprint);
        deploy(server, token, id);
        return id;
    }

    /** The activations an event caused: agentId → the activation. */
    static Map<String, JsonNode> activations(TestServer server, String token, Map<String, Object> event) {
        HttpResult result = server.post("/api/events", token, event);
        assertEquals(200, result.status(), result.body());
        Map<String, JsonNode> byAgent = new java.util.LinkedHashMap<>();
        result.json().get("activations").forEach(a -> byAgent.put(a.get("agentId").asText(), a));
        return byAgent;
    }

    static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
