package dev.agentfactory.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** GET /api/agents/{id}/code: JSON by default, the DRL itself with Accept: text/plain. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentCodeTextTest {
    private TestServer server;
    private String pm;

    @BeforeAll
    void start() {
        server = TestServer.start("codetext");
        pm = server.token(server.organization("code-org"), "pat.pm", "PM");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void accept_text_plain_gets_the_drl_as_text_the_same_as_the_json_holds() {
        String id = Agents.createAndDeploy(server, pm, Agents.leadAgent("Code as text"));
        JsonNode json = server.get("/api/agents/" + id + "/code", pm).json();

        HttpResult text = server.send("GET", "/api/agents/" + id + "/code", pm, null, Map.of("Accept", "text/plain"));

        assertEquals(200, text.status(), text.body());
        assertTrue(text.header("Content-Type").startsWith("text/plain"), text.header("Content-Type"));
        assertEquals(json.get("drl").asText(), text.body());
        assertTrue(text.body().contains("rule \""), text.body());
        assertEquals(json.get("blueprintVersion").asText(), text.header("X-Blueprint-Version"));
        assertEquals("true", text.header("X-Live"));

        HttpResult both = server.send("GET", "/api/agents/" + id + "/code", pm, null,
                Map.of("Accept", "application/json, text/plain"));
        assertEquals(json, both.json(), "asking for JSON as well gets JSON");
    }
}
