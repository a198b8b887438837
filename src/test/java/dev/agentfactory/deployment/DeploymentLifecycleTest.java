package dev.agentfactory.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeploymentLifecycleTest {
    private TestServer server;
    private String pm;
    private String auditor;
    private String org;

    @BeforeAll
    void start() {
        server = TestServer.start("deploy");
        org = server.organization("deployers");
        pm = server.token(org, "petra", "PM");
        auditor = server.token(org, "aud", "COMPLIANCE");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private Map<String, Object> event(String type) {
        return Map.of("type", type, "contactId", "c-1", "data", Map.of());
    }

    @Test
    void two_calls_take_a_blueprint_to_an_active_agent_that_events_reach() {
        String id = Agents.create(server, pm, Agents.leadAgent("Two calls"));

        JsonNode deployed = Agents.deploy(server, pm, id);

        assertEquals("Active", deployed.get("status").asText());
        assertEquals(1, deployed.get("blueprintVersion").asInt());
        assertEquals("deploy", deployed.get("kind").asText());
        assertTrue(deployed.get("compileMs").asLong() >= 0 && deployed.get("deployMs").asLong() >= deployed.get("compileMs").asLong());
        String deploymentId = deployed.get("deploymentId").asText();
        JsonNode agent = server.get("/api/agents/" + id, pm).json();
        assertEquals("Active", agent.get("status").asText());
        assertEquals(deploymentId, agent.get("deploymentId").asText());

        Map<String, JsonNode> activated = Agents.activations(server, pm, event("lead.created"));
        assertTrue(activated.containsKey(id), activated.toString());
        assertEquals(deploymentId, activated.get(id).get("deploymentId").asText());
        assertEquals("Two calls", activated.get(id).get("name").asText());
        assertEquals("event trigger lead.created", activated.get(id).get("reason").asText());
        assertFalse(Agents.activations(server, pm, event("lead.lost")).containsKey(id));

        JsonNode history = server.get("/api/agents/" + id + "/deployments", pm).json();
        assertEquals(1, history.get("total").asInt());
        JsonNode entry = history.get("items").get(0);
        assertEquals("Succeeded", entry.get("outcome").asText());
        assertEquals("petra", entry.get("requestedBy").asText());
        assertEquals(1, entry.get("blueprintVersion").asInt());
        assertTrue(entry.get("deployMs").isNumber());
        assertEquals(1, server.get("/api/audit?entityId=" + id + "&action=agent.deployed", auditor)
                .json().get("total").asInt());
        long stored = server.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from activations where agent_id = cast(:id as uuid)").bind("id", id)
                .mapTo(Long.class).one());
        assertEquals(1, stored);
    }

    @Test
    void an_invalid_blueprint_is_refused_with_its_findings_and_nothing_is_deployed() {
        String id = Agents.create(server, pm, Blueprints.with(Agents.leadAgent("Invalid"), null, "goal", ""));

        HttpResult refused = server.post("/api/agents/" + id + "/deploy", pm, "");

        assertEquals(422, refused.status(), refused.body());
        assertEquals("validation_failed", refused.json().at("/error/code").asText());
        assertTrue(refused.body().contains("BP-STR-003"));
        assertEquals("ValidationFailed", server.get("/api/agents/" + id, pm).json().get("status").asText());
        assertEquals("Rejected", server.get("/api/agents/" + id + "/deployments", pm).json()
                .at("/items/0/outcome").asText());
        assertFalse(Agents.activations(server, pm, event("lead.created")).containsKey(id));
    }

    @Test
    void a_redeploy_is_a_hot_reload_events_keep_flowing_and_each_answer_comes_from_one_version() throws Exception {
        String id = Agents.createAndDeploy(server, pm, Agents.leadAgent("Hot v1"));
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        Map<String, Integer> versionOfDeployment = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Integer>> senders = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            senders.add(pool.submit(() -> {
                int answers = 0;
                while (running.get()) {
                    HttpResult result = server.post("/api/events", pm, event("lead.created"));
                    if (result.status() != 200) {
                        problems.add(result.toString());
                        continue;
                    }
                    JsonNode mine = null;
                    for (JsonNode a : result.json().get("activations")) {
                        if (a.get("agentId").asText().equals(id)) {
                            mine = a;
                        }
                    }
                    if (mine == null) {
                        problems.add("the agent was not activated during a redeploy");
                        continue;
                    }
                    Integer earlier = versionOfDeployment.putIfAbsent(mine.get("deploymentId").asText(),
                            mine.get("blueprintVersion").asInt());
                    if (earlier != null && earlier != mine.get("blueprintVersion").asInt()) {
                        problems.add("deployment answered with two versions");
                    }
                    if (!mine.get("name").asText().equals("Hot v" + mine.get("blueprintVersion").asInt())) {
                        problems.add("mixed answer: " + mine);
                    }
                    answers++;
                }
                return answers;
            }));
        }
        for (int v = 2; v <= 6; v++) {
            server.put("/api/agents/" + id, pm, Agents.leadAgent("Hot v" + v));
            JsonNode redeployed = Agents.deploy(server, pm, id);
            assertEquals(v, redeployed.get("blueprintVersion").asInt());
            assertEquals("Active", redeployed.get("status").asText());
            Thread.sleep(100);
        }
        running.set(false);
        int answers = 0;
        for (Future<Integer> sender : senders) {
            answers += sender.get();
        }
        pool.shutdown();

        assertEquals(List.of(), List.copyOf(problems));
        assertTrue(answers > 10, "answers: " + answers);
        assertTrue(versionOfDeployment.size() >= 2, "answers came from several versions: " + versionOfDeployment);
        assertEquals(6, Agents.activations(server, pm, event("lead.created")).get(id).get("blueprintVersion").asInt());
    }

    @Test
    void rollback_redeploys_an_earlier_immutable_version() {
        String id = Agents.createAndDeploy(server, pm, Agents.leadAgent("Roll v1"));
        server.put("/api/agents/" + id, pm, Agents.leadAgent("Roll v2"));
        Agents.deploy(server, pm, id);
        server.put("/api/agents/" + id, pm, Agents.leadAgent("Roll v3"));
        Agents.deploy(server, pm, id);

        HttpResult back = server.post("/api/agents/" + id + "/rollback", pm, "");

        assertEquals(201, back.status(), back.body());
        assertEquals(2, back.json().get("blueprintVersion").asInt());
        assertEquals("rollback", back.json().get("kind").asText());
        assertEquals("Roll v2", Agents.activations(server, pm, event("lead.created")).get(id).get("name").asText());
        JsonNode toFirst = server.post("/api/agents/" + id + "/rollback", pm, Map.of("toVersion", 1)).json();
        assertEquals(1, toFirst.get("blueprintVersion").asInt());
        JsonNode code = server.get("/api/agents/" + id + "/code", pm).json();
        assertEquals(1, code.get("blueprintVersion").asInt());
        assertTrue(code.get("live").asBoolean());
        assertEquals(3, server.get("/api/agents/" + id, pm).json().get("version").asInt(), "the blueprint itself is unchanged");
        assertEquals(404, server.post("/api/agents/" + id + "/rollback", pm, Map.of("toVersion", 9)).status());
        assertEquals(400, server.post("/api/agents/" + id + "/rollback", pm, Map.of("toVersion", "one")).status());
        assertEquals(1, server.get("/api/audit?entityId=" + id + "&action=agent.rolled_back&limit=1", auditor)
                .json().get("items").size());
    }

    @Test
    void a_paused_agent_keeps_its_compiled_form_but_is_not_activated_until_resumed() {
        String id = Agents.createAndDeploy(server, pm, Agents.leadAgent("Pausable"));

        JsonNode paused = server.post("/api/agents/" + id + "/pause", pm, "").json();

        assertEquals("Paused", paused.get("status").asText());
        assertFalse(Agents.activations(server, pm, event("lead.created")).containsKey(id));
        assertTrue(server.get("/api/agents/" + id + "/code", pm).json().get("live").asBoolean());
        assertEquals("Active", server.post("/api/agents/" + id + "/resume", pm, "").json().get("status").asText());
        assertTrue(Agents.activations(server, pm, event("lead.created")).containsKey(id));
        String draft = Agents.create(server, pm, Agents.leadAgent("Never deployed"));
        assertEquals(409, server.post("/api/agents/" + draft + "/pause", pm, "").status());
    }

    @Test
    void undeploy_stops_the_agent_and_a_running_agent_cannot_be_deleted() {
        String id = Agents.createAndDeploy(server, pm, Agents.leadAgent("Undeployable"));
        assertEquals(409, server.delete("/api/agents/" + id, pm).status());

        JsonNode stopped = server.post("/api/agents/" + id + "/undeploy", pm, "").json();

        assertEquals("ReadyForDeployment", stopped.get("status").asText());
        assertTrue(stopped.get("deploymentId").isNull());
        assertFalse(Agents.activations(server, pm, event("lead.created")).containsKey(id));
        assertFalse(server.get("/api/agents/" + id + "/code", pm).json().get("live").asBoolean());
        assertEquals(409, server.post("/api/agents/" + id + "/undeploy", pm, "").status());
        assertEquals(204, server.delete("/api/agents/" + id, pm).status());
        assertEquals("undeploy", server.get("/api/agents/" + id + "/deployments", pm).json().at("/items/0/kind").asText());
    }

    @Test
    void another_organizations_agents_are_never_triggered_or_touched() {
        String id = Agents.createAndDeploy(server, pm, Agents.leadAgent("Private agent"));
        String otherOrg = server.organization("outsiders");
        String outsider = server.token(otherOrg, "oscar", "PM");

        assertFalse(Agents.activations(server, outsider, event("lead.created")).containsKey(id));
        assertEquals(404, server.post("/api/agents/" + id + "/deploy", outsider, "").status());
        assertEquals(404, server.post("/api/agents/" + id + "/pause", outsider, "").status());
        assertEquals(404, server.get("/api/agents/" + id + "/code", outsider).status());
        assertEquals(404, server.get("/api/agents/" + id + "/deployments", outsider).status());
    }

    @Test
    void the_generated_code_can_be_reviewed_before_and_after_deploying() {
        String id = Agents.create(server, pm, Blueprints.with(Agents.leadAgent("Reviewed"), "triggerConfig",
                "triggerConditions", Map.of("leadScore", Map.of(">=", 70))));

        JsonNode before = server.get("/api/agents/" + id + "/code", pm).json();

        assertFalse(before.get("live").asBoolean());
        String drl = before.get("drl").asText();
        assertTrue(drl.contains("rule \"AGT-POL-0"), drl);
        assertTrue(drl.contains("ProposedAction( actionType == \"SendEmail\" )"), drl);
        assertTrue(drl.contains("EventFact( type == \"lead.created\" )"), drl);
        assertTrue(drl.contains("Conditions.holds(data, \"leadScore\", \">=\", \"70\")"), drl);
        Agents.deploy(server, pm, id);
        assertTrue(server.get("/api/agents/" + id + "/code", pm).json().get("live").asBoolean());
    }

    @Test
    void deploy_roles_and_ids_are_checked() {
        String id = Agents.create(server, pm, Agents.leadAgent("Guarded"));
        String approver = server.token(org, "ada", "APPROVER");
        assertEquals(403, server.post("/api/agents/" + id + "/deploy", approver, "").status());
        assertEquals(400, server.post("/api/agents/not-an-id/deploy", pm, "").status());
        assertEquals(404, server.post("/api/agents/3f2c1a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f/deploy", pm, "").status());
        assertEquals(400, server.post("/api/events", pm, Map.of("contactId", "c")).status());
        assertEquals(400, server.post("/api/events", pm, Map.of("type", "x", "colour", "red")).status());
    }
}
