package dev.agentfactory.cluster;

import static dev.agentfactory.support.CustomRules.actionExample;
import static dev.agentfactory.support.CustomRules.actionRule;
import static dev.agentfactory.support.CustomRules.leaf;
import static dev.agentfactory.support.CustomRules.requireApproval;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.DatabaseOwner;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Two servers on one database behave as one: what changes on either is served by both. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoServersTest {
    /** "A paused agent is refused on every instance within a second." */
    private static final Duration PROPAGATION = Duration.ofSeconds(1);

    private TestServer a;
    private TestServer b;
    private String org;
    private String pm;
    private String admin;

    @BeforeAll
    void start() {
        a = TestServer.start("twoservers");
        b = a.twin();
        org = a.organization("twins");
        pm = a.token(org, "pat", "PM");
        admin = a.token(org, "ada", "ADMIN");
    }

    @AfterAll
    void stop() {
        b.close();
        a.close();
    }

    @Test
    void an_agent_deployed_on_one_server_decides_on_the_other() {
        String id = Agents.createAndDeploy(a, pm, Agents.leadAgent("Deployed on A"));
        String token = Agents.agentToken(a, pm, id);

        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(20)).until(() -> decision(b, token, id).equals("EXECUTE"));
        assertEquals(1, Agents.propose(b, token, id, action()).get("agentVersion").asInt());
    }

    @Test
    void an_agent_paused_on_one_server_is_refused_on_the_other_within_a_second_and_resumes_everywhere() {
        String id = Agents.createAndDeploy(a, pm, Agents.leadAgent("Paused on B"));
        String token = Agents.agentToken(a, pm, id);
        await().atMost(PROPAGATION).until(() -> decision(b, token, id).equals("EXECUTE"));
        assertEquals("EXECUTE", decision(a, token, id));

        assertEquals("Paused", b.post("/api/agents/" + id + "/pause", pm, "").json().get("status").asText());
        long paused = System.nanoTime();
        assertEquals("REJECT", decision(b, token, id), "at once on the server that paused it");
        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(10)).until(() -> decision(a, token, id).equals("REJECT"));
        System.out.printf("pause on B refused on A after %d ms%n", (System.nanoTime() - paused) / 1_000_000);
        JsonNode refused = Agents.propose(a, token, id, action());
        assertTrue(refused.get("reasons").toString().contains("paused"), refused.toString());

        assertEquals("Active", a.post("/api/agents/" + id + "/resume", pm, "").json().get("status").asText());
        await().atMost(PROPAGATION).until(() -> decision(b, token, id).equals("EXECUTE"));
        assertEquals("EXECUTE", decision(a, token, id));
    }

    @Test
    void a_hot_redeploy_and_a_rollback_are_served_everywhere() {
        String id = Agents.createAndDeploy(a, pm, Agents.leadAgent("Versions v1"));
        String token = Agents.agentToken(a, pm, id);
        await().atMost(PROPAGATION).until(() -> agentVersion(b, token, id) == 1);

        assertEquals(200, a.put("/api/agents/" + id, pm, Agents.leadAgent("Versions v2")).status());
        assertEquals(2, Agents.deploy(a, pm, id).get("blueprintVersion").asInt());
        await().atMost(PROPAGATION).until(() -> agentVersion(b, token, id) == 2);
        assertEquals(2, agentVersion(a, token, id));

        HttpResult back = b.post("/api/agents/" + id + "/rollback", pm, "");
        assertEquals(201, back.status(), back.body());
        assertEquals(1, agentVersion(b, token, id));
        await().atMost(PROPAGATION).until(() -> agentVersion(a, token, id) == 1);
    }

    @Test
    void a_paused_agent_redeployed_on_one_server_stays_paused_on_both() {
        String id = Agents.createAndDeploy(a, pm, Agents.leadAgent("Paused v1"));
        String token = Agents.agentToken(a, pm, id);
        assertEquals(200, a.post("/api/agents/" + id + "/pause", pm, "").status());
        assertEquals(200, a.put("/api/agents/" + id, pm, Agents.leadAgent("Paused v2")).status());

        JsonNode redeployed = Agents.deploy(b, pm, id);

        assertEquals("Paused", redeployed.get("status").asText());
        await().atMost(PROPAGATION).until(() -> agentVersion(a, token, id) == 2);
        assertEquals("REJECT", decision(a, token, id));
        assertEquals("REJECT", decision(b, token, id));
    }

    @Test
    void an_agent_undeployed_on_one_server_is_not_deployed_on_the_other() {
        String id = Agents.createAndDeploy(a, pm, Agents.leadAgent("Undeployed on A"));
        String token = Agents.agentToken(a, pm, id);
        await().atMost(PROPAGATION).until(() -> decision(b, token, id).equals("EXECUTE"));

        assertEquals("ReadyForDeployment", a.post("/api/agents/" + id + "/undeploy", pm, "").json()
                .get("status").asText());

        await().atMost(PROPAGATION).until(() -> decision(b, token, id).equals("409"));
        HttpResult notDeployed = propose(b, token, id);
        assertTrue(notDeployed.body().contains("not deployed"), notDeployed.body());
        assertEquals("409", decision(a, token, id));
    }

    @Test
    void a_change_whose_notification_is_lost_is_applied_by_the_backstop() {
        String id = Agents.createAndDeploy(a, pm, Agents.leadAgent("Missed notification"));
        String token = Agents.agentToken(a, pm, id);
        await().atMost(PROPAGATION).until(() -> decision(b, token, id).equals("EXECUTE"));

        // every listening connection is cut: B hears nothing until its poll or its reconnect
        DatabaseOwner.of(a).useHandle(h -> h.execute("""
                select pg_terminate_backend(pid) from pg_stat_activity
                 where query like 'LISTEN cluster_changes%' and pid <> pg_backend_pid() and datname = current_database()
                """));
        assertEquals(200, a.post("/api/agents/" + id + "/pause", pm, "").status());

        await().atMost(Duration.ofSeconds(3)).until(() -> decision(b, token, id).equals("REJECT"));
        await().atMost(Duration.ofSeconds(5)).until(() -> listeners() == 2);
        assertEquals(200, a.post("/api/agents/" + id + "/resume", pm, "").status());
        await().atMost(PROPAGATION).until(() -> decision(b, token, id).equals("EXECUTE"));
    }

    @Test
    void a_custom_rule_added_on_one_server_decides_on_the_other() {
        String compliance = a.token(org, "cora", "COMPLIANCE");
        String id = Agents.createAndDeploy(a, pm, Agents.leadAgent("Custom rules"));
        String token = Agents.agentToken(a, pm, id);
        await().atMost(PROPAGATION).until(() -> decision(b, token, id).equals("EXECUTE"));

        HttpResult created = a.post("/api/validation/rules", compliance, actionRule("recommendations-need-a-human",
                leaf("actionType", "==", "GenerateRecommendation"), requireApproval("a human reviews recommendations"),
                List.of(actionExample("fires", "GenerateRecommendation", 0.9))));
        assertEquals(201, created.status(), created.body());

        await().atMost(Duration.ofSeconds(2)).until(() -> decision(b, token, id).equals("REQUIRE_APPROVAL"));
        assertEquals(204, b.delete("/api/validation/rules/" + created.json().get("id").asText(), compliance).status());
        await().atMost(Duration.ofSeconds(2)).until(() -> decision(a, token, id).equals("EXECUTE"));
    }

    @Test
    void a_token_revoked_on_one_server_is_refused_on_the_other_within_a_second() {
        HttpResult minted = a.post("/api/tokens", admin, Map.of("principal", "leaving", "roles", List.of("PM")));
        assertEquals(201, minted.status(), minted.body());
        String secret = minted.json().get("token").asText();
        assertEquals(200, b.get("/api/me", secret).status(), "B remembers the token now");

        assertEquals(204, a.delete("/api/tokens/" + minted.json().get("id").asText(), admin).status());
        long revoked = System.nanoTime();

        assertEquals(401, a.get("/api/me", secret).status());
        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(10)).until(() -> b.get("/api/me", secret).status() == 401);
        System.out.printf("token revoked on A refused on B after %d ms%n", (System.nanoTime() - revoked) / 1_000_000);
    }

    private static Map<String, Object> action() {
        return Map.of("actionType", "GenerateRecommendation", "confidence", 0.95, "contactId", "c-1",
                "contextTypes", List.of("ContactProfile"));
    }

    private static HttpResult propose(TestServer server, String token, String agentId) {
        return server.post("/api/agents/" + agentId + "/actions", token, Map.of("actions", List.of(action())));
    }

    /** The decision, or the HTTP status when there is none. */
    private static String decision(TestServer server, String token, String agentId) {
        HttpResult result = propose(server, token, agentId);
        return result.status() == 200 ? result.json().at("/decisions/0/decision").asText()
                : String.valueOf(result.status());
    }

    private static int agentVersion(TestServer server, String token, String agentId) {
        HttpResult result = propose(server, token, agentId);
        return result.status() == 200 ? result.json().at("/decisions/0/agentVersion").asInt() : -1;
    }

    private long listeners() {
        return DatabaseOwner.of(a).withHandle(h -> h.createQuery("""
                select count(*) from pg_stat_activity
                 where query like 'LISTEN cluster_changes%' and datname = current_database()
                """).mapTo(Long.class).one());
    }
}
