package dev.agentfactory.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The emergency brake pauses every running agent of an organization (or of all, for the system
 * administrator) on every instance within a second, audited with its reason; lifting it resumes
 * only what it paused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmergencyStopTest {
    private static final Duration PROPAGATION = Duration.ofSeconds(1);

    private TestServer a;
    private TestServer b;

    @BeforeAll
    void start() {
        a = TestServer.start("emergencystop");
        b = a.twin();
    }

    @AfterAll
    void stop() {
        b.close();
        a.close();
    }

    /** An organization with a PM, an ADMIN and an auditor. */
    private record Org(String id, String pm, String admin, String auditor) {
    }

    private Org organization(String name) {
        String id = a.organization(name);
        return new Org(id, a.token(id, "pat", "PM"), a.token(id, "ada", "ADMIN"), a.token(id, "aud", "COMPLIANCE"));
    }

    /** An agent deployed and served by both servers, and its AGENT token. */
    private String[] runningAgent(Org org, String name) {
        String id = Agents.createAndDeploy(a, org.pm(), Agents.leadAgent(name));
        String token = Agents.agentToken(a, org.pm(), id);
        await().atMost(PROPAGATION).until(() -> decision(b, token, id).equals("EXECUTE"));
        return new String[] {id, token};
    }

    @Test
    void an_organization_stop_pauses_its_running_agents_on_every_server_and_nothing_else() {
        Org acme = organization("acme-stop");
        Org globex = organization("globex-stop");
        String[] first = runningAgent(acme, "Acme one");
        String[] second = runningAgent(acme, "Acme two");
        String[] pausedByHand = runningAgent(acme, "Acme paused by hand");
        assertEquals(200, a.post("/api/agents/" + pausedByHand[0] + "/pause", acme.pm(), "").status());
        String[] outsider = runningAgent(globex, "Globex");

        HttpResult stopped = b.post("/api/agents/emergency-stop", acme.pm(), Map.of("reason", "leaking contact data"));

        assertEquals(200, stopped.status(), stopped.body());
        long pulled = System.nanoTime();
        assertEquals(2, stopped.json().get("paused").asInt(), stopped.body());
        assertEquals(Set.of(first[0], second[0]), agentIds(stopped.json().get("agents")));
        assertEquals("organization", stopped.json().get("scope").asText());
        for (String[] agent : List.of(first, second)) {
            assertEquals("REJECT", decision(b, agent[1], agent[0]), "at once on the server that stopped them");
            await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(10))
                    .until(() -> decision(a, agent[1], agent[0]).equals("REJECT"));
        }
        System.out.printf("emergency stop on B refused on A after %d ms%n", (System.nanoTime() - pulled) / 1_000_000);
        assertEquals("EXECUTE", decision(a, outsider[1], outsider[0]), "another organization is untouched");
        assertEquals("EXECUTE", decision(b, outsider[1], outsider[0]));
        assertEquals("Paused", a.get("/api/agents/" + first[0], acme.pm()).json().get("status").asText());

        String stopId = stopped.json().get("stopId").asText();
        JsonNode perAgent = a.get("/api/audit?action=agent.paused&entityId=" + first[0], acme.auditor()).json();
        assertEquals(1, perAgent.get("total").asInt(), perAgent.toString());
        assertEquals("leaking contact data", perAgent.at("/items/0/after/reason").asText());
        assertEquals(stopId, perAgent.at("/items/0/after/emergencyStop").asText());
        assertEquals("pat", perAgent.at("/items/0/actor").asText());
        JsonNode summary = a.get("/api/audit?action=agents.emergency_stopped", acme.auditor()).json();
        assertEquals(1, summary.get("total").asInt(), summary.toString());
        assertEquals("leaking contact data", summary.at("/items/0/after/reason").asText());
        assertEquals(2, summary.at("/items/0/after/paused").asInt());
        assertEquals(0, a.get("/api/audit?action=agents.emergency_stopped", globex.auditor()).json().get("total").asInt());

        assertEquals(403, a.post("/api/agents/resume-all", acme.pm(), Map.of("reason", "fixed")).status(),
                "lifting the brake at once is an ADMIN's call");
        HttpResult resumed = a.post("/api/agents/resume-all", acme.admin(), Map.of("reason", "the leak is fixed"));

        assertEquals(200, resumed.status(), resumed.body());
        assertEquals(2, resumed.json().get("resumed").asInt());
        assertEquals(1, resumed.json().get("stillPaused").asInt(), "the agent paused by hand stays paused");
        for (String[] agent : List.of(first, second)) {
            await().atMost(PROPAGATION).until(() -> decision(b, agent[1], agent[0]).equals("EXECUTE"));
            assertEquals("EXECUTE", decision(a, agent[1], agent[0]));
        }
        assertEquals("REJECT", decision(a, pausedByHand[1], pausedByHand[0]));
        assertEquals("REJECT", decision(b, pausedByHand[1], pausedByHand[0]));
        assertEquals("the leak is fixed", a.get("/api/audit?action=agents.resumed_all", acme.auditor()).json()
                .at("/items/0/after/reason").asText());
    }

    @Test
    void an_agent_paused_by_hand_during_a_stop_stays_paused_when_it_is_lifted() {
        Org org = organization("hand-during-stop");
        String[] agent = runningAgent(org, "Keep me paused");
        assertEquals(200, a.post("/api/agents/emergency-stop", org.admin(), Map.of("reason", "drill")).status());

        assertEquals("Paused", b.post("/api/agents/" + agent[0] + "/pause", org.pm(), "").json()
                .get("status").asText());
        HttpResult resumed = a.post("/api/agents/resume-all", org.admin(), Map.of("reason", "drill over"));

        assertEquals(0, resumed.json().get("resumed").asInt(), resumed.body());
        assertEquals(1, resumed.json().get("stillPaused").asInt());
        assertEquals("REJECT", decision(b, agent[1], agent[0]));
        assertEquals(200, a.post("/api/agents/" + agent[0] + "/resume", org.pm(), "").status());
        await().atMost(PROPAGATION).until(() -> decision(b, agent[1], agent[0]).equals("EXECUTE"));
    }

    @Test
    void the_system_administrator_stops_every_organization_and_only_it_may() {
        Org north = organization("north-system");
        Org south = organization("south-system");
        String[] northAgent = runningAgent(north, "North");
        String[] southAgent = runningAgent(south, "South");

        assertEquals(403, a.post("/api/system/emergency-stop", north.admin(), Map.of("reason", "mine")).status());
        assertEquals("EXECUTE", decision(b, northAgent[1], northAgent[0]), "a refused stop stops nothing");

        HttpResult stopped = a.post("/api/system/emergency-stop", TestServer.ADMIN_TOKEN,
                Map.of("reason", "LLM provider compromised"));

        assertEquals(200, stopped.status(), stopped.body());
        assertEquals("system", stopped.json().get("scope").asText());
        assertTrue(agentIds(stopped.json().get("agents")).containsAll(Set.of(northAgent[0], southAgent[0])));
        for (String[] agent : List.of(northAgent, southAgent)) {
            assertEquals("REJECT", decision(a, agent[1], agent[0]));
            await().atMost(PROPAGATION).until(() -> decision(b, agent[1], agent[0]).equals("REJECT"));
        }
        JsonNode perAgent = a.get("/api/audit?action=agent.paused&entityId=" + southAgent[0], south.auditor()).json();
        assertEquals("LLM provider compromised", perAgent.at("/items/0/after/reason").asText(), perAgent.toString());
        assertEquals("admin", perAgent.at("/items/0/actor").asText());
        JsonNode summary = a.get("/api/audit?action=system.emergency_stopped", TestServer.ADMIN_TOKEN).json();
        assertEquals("LLM provider compromised", summary.at("/items/0/after/reason").asText(), summary.toString());

        assertEquals(403, a.post("/api/system/resume-all", north.admin(), Map.of("reason", "mine")).status());
        HttpResult resumed = b.post("/api/system/resume-all", TestServer.ADMIN_TOKEN, Map.of("reason", "rotated keys"));
        assertEquals(200, resumed.status(), resumed.body());
        for (String[] agent : List.of(northAgent, southAgent)) {
            assertEquals("EXECUTE", decision(b, agent[1], agent[0]));
            await().atMost(PROPAGATION).until(() -> decision(a, agent[1], agent[0]).equals("EXECUTE"));
        }
    }

    @Test
    void a_stop_without_a_clear_reason_or_by_the_wrong_role_changes_nothing() {
        Org org = organization("bad-stops");
        String[] agent = runningAgent(org, "Untouched");
        String approver = a.token(org.id(), "apollo", "APPROVER");

        assertEquals(List.of("reason"), a.post("/api/agents/emergency-stop", org.pm(), Map.of()).errorFields());
        assertEquals(List.of("reason"), a.post("/api/agents/emergency-stop", org.pm(), Map.of("reason", "  "))
                .errorFields());
        assertEquals(List.of("reason"), a.post("/api/agents/emergency-stop", org.pm(),
                Map.of("reason", "x".repeat(1001))).errorFields());
        assertEquals(List.of("reason"), a.post("/api/agents/emergency-stop", org.pm(), Map.of("reason", 42))
                .errorFields());
        assertEquals(List.of("scope"), a.post("/api/agents/emergency-stop", org.pm(),
                Map.of("reason", "r", "scope", "all")).errorFields());
        assertEquals(400, a.post("/api/agents/emergency-stop", org.pm(), "").status());
        assertEquals(400, a.post("/api/agents/emergency-stop", org.pm(), "{\"reason\": \"a\\u0000b\"}").status());
        assertEquals(400, a.post("/api/agents/emergency-stop", org.pm(), "[\"reason\"]").status());
        assertEquals(403, a.post("/api/agents/emergency-stop", approver, Map.of("reason", "r")).status());
        assertEquals(403, a.post("/api/agents/emergency-stop", agent[1], Map.of("reason", "r")).status());
        assertEquals(401, a.post("/api/agents/emergency-stop", null, Map.of("reason", "r")).status());

        assertEquals("Active", a.get("/api/agents/" + agent[0], org.pm()).json().get("status").asText());
        assertEquals("EXECUTE", decision(b, agent[1], agent[0]));
        assertEquals(0, a.get("/api/audit?action=agents.emergency_stopped", org.auditor()).json().get("total").asInt());
        assertEquals(0, a.get("/api/audit?action=agent.paused", org.auditor()).json().get("total").asInt());
    }

    private static Set<String> agentIds(JsonNode agents) {
        Set<String> ids = new HashSet<>();
        agents.forEach(agent -> ids.add(agent.get("agentId").asText()));
        return ids;
    }

    private static String decision(TestServer server, String token, String agentId) {
        HttpResult result = server.post("/api/agents/" + agentId + "/actions", token, Map.of("actions", List.of(
                Map.of("actionType", "GenerateRecommendation", "confidence", 0.95, "contactId", "c-1",
                        "contextTypes", List.of("ContactProfile")))));
        return result.status() == 200 ? result.json().at("/decisions/0/decision").asText()
                : String.valueOf(result.status());
    }
}
