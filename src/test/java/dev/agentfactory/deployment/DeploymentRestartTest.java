package dev.agentfactory.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Deployments live in PostgreSQL: a restart recompiles every Active (and Paused) agent before serving. */
class DeploymentRestartTest {

    @Test
    void a_restart_brings_active_and_paused_agents_back() {
        TestServer server = TestServer.start("restart");
        try {
            String pm = server.token(server.defaultOrganizationId(), "rita", "PM");
            String active = Agents.createAndDeploy(server, pm, Agents.leadAgent("Comes back"));
            server.put("/api/agents/" + active, pm, Agents.leadAgent("Comes back v2"));
            Agents.deploy(server, pm, active);
            server.post("/api/agents/" + active + "/rollback", pm, Map.of("toVersion", 1));
            String paused = Agents.createAndDeploy(server, pm, Agents.leadAgent("Stays paused"));
            server.post("/api/agents/" + paused + "/pause", pm, "");
            String stopped = Agents.createAndDeploy(server, pm, Agents.leadAgent("Stays stopped"));
            server.post("/api/agents/" + stopped + "/undeploy", pm, "");

            server = server.restart();

            JsonNode health = server.get("/health", null).json();
            assertEquals(2, health.at("/agents/loaded").asInt(), health.toString());
            var activated = Agents.activations(server, pm, Map.of("type", "lead.created"));
            assertTrue(activated.containsKey(active));
            assertEquals(1, activated.get(active).get("blueprintVersion").asInt(), "the rolled-back version comes back");
            assertFalse(activated.containsKey(paused));
            assertFalse(activated.containsKey(stopped));
            assertEquals("Active", server.post("/api/agents/" + paused + "/resume", pm, "").json().get("status").asText());
            assertTrue(Agents.activations(server, pm, Map.of("type", "lead.created")).containsKey(paused));
        } finally {
            server.close();
        }
    }
}
