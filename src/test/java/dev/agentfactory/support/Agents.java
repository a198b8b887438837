package dev.agentfactory.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small steps the deployment tests share: create and deploy an agent, post an event. */
public final class Agents {
    private Agents() {
    }

    public static Map<String, Object> leadAgent(String name) {
        return Blueprints.with(Blueprints.valid(name), "triggerConfig", "eventTriggers", List.of("lead.created"));
    }

    public static String create(TestServer server, String token, Map<String, Object> blueprint) {
        HttpResult created = server.post("/api/agents", token, blueprint);
        assertEquals(201, created.status(), created.body());
        return created.json().get("id").asText();
    }

    /** Deploys; a deployment that waits for approval (202) is approved by an admin of the agent's organization. */
    public static JsonNode deploy(TestServer server, String token, String id) {
        HttpResult deployed = server.post("/api/agents/" + id + "/deploy", token, "");
        if (deployed.status() == 202) {
            String organization = server.get("/api/me", token).json().get("organizationId").asText();
            String approver = server.token(organization, "approving-admin", "ADMIN");
            HttpResult approved = server.post("/api/approvals/" + deployed.json().get("approvalId").asText()
                    + "/approve", approver, java.util.Map.of("comment", "approved by the test"));
            assertEquals(200, approved.status(), approved.body());
            assertEquals("approved", approved.json().get("status").asText(), approved.body());
            JsonNode agent = server.get("/api/agents/" + id, token).json();
            assertEquals("Active", agent.get("status").asText(), agent.toString());
            return server.get("/api/agents/" + id + "/deployments?limit=1", token).json().get("items").get(0);
        }
        assertEquals(201, deployed.status(), deployed.body());
        return deployed.json();
    }

    public static String createAndDeploy(TestServer server, String token, Map<String, Object> blueprint) {
        String id = create(server, token, blueprint);
        deploy(server, token, id);
        return id;
    }

    /** An AGENT token bound to {@code agentId}, minted by {@code minter} (an admin, or the PM that deployed it). */
    public static String agentToken(TestServer server, String minter, String agentId) {
        HttpResult minted = server.post("/api/tokens", minter, Map.of("principal", "agent-" + agentId.substring(0, 8),
                "roles", List.of("AGENT"), "agentId", agentId));
        assertEquals(201, minted.status(), minted.body());
        return minted.json().get("token").asText();
    }

    /** Proposes one action and returns its decision. */
    public static JsonNode propose(TestServer server, String token, String agentId, Map<String, Object> action) {
        HttpResult result = server.post("/api/agents/" + agentId + "/actions", token, Map.of("actions", List.of(action)));
        assertEquals(200, result.status(), result.body());
        return result.json().get("decisions").get(0);
    }

    /** The activations an event caused: agentId → the activation. */
    public static Map<String, JsonNode> activations(TestServer server, String token, Map<String, Object> event) {
        HttpResult result = server.post("/api/events", token, event);
        assertEquals(200, result.status(), result.body());
        Map<String, JsonNode> byAgent = new java.util.LinkedHashMap<>();
        result.json().get("activations").forEach(a -> byAgent.put(a.get("agentId").asText(), a));
        return byAgent;
    }

    public static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
