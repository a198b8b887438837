package dev.agentfactory.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** An agent waits for a pending decision: answered when it is approved (on another instance), expires, or the wait ends. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DecisionWaitTest {
    private TestServer server;
    private TestServer twin;
    private String agentId;
    private String agentToken;
    private String approver;

    @BeforeAll
    void start() {
        server = TestServer.start("waits");
        twin = server.twin();
        String org = server.organization("waiting");
        String pm = server.token(org, "pam", "PM");
        approver = server.token(org, "avery", "APPROVER");
        Map<String, Object> blueprint = Blueprints.with(Blueprints.valid("Waiter"), "actionConfig", "overrideMode",
                "AlwaysAsk");
        agentId = Agents.createAndDeploy(server, pm, blueprint);
        agentToken = Agents.agentToken(server, pm, agentId);
    }

    @AfterAll
    void stop() {
        twin.close();
        server.close();
    }

    private JsonNode pending() {
        JsonNode decision = Agents.propose(server, agentToken, agentId,
                Map.of("actionType", "GenerateRecommendation", "confidence", 0.9, "contactId", "c-1"));
        assertEquals("REQUIRE_APPROVAL", decision.get("decision").asText(), decision.toString());
        return decision;
    }

    private CompletableFuture<HttpResult> waitFor(TestServer on, JsonNode decision, int seconds) {
        return CompletableFuture.supplyAsync(() -> on.get("/api/agents/" + agentId + "/decisions/"
                + decision.get("decisionId").asText() + "?waitSeconds=" + seconds, agentToken));
    }

    /** Gives the wait time to reach the server before the test changes anything. */
    private static void reached(CompletableFuture<HttpResult> wait) {
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !wait.isDone());
    }

    @Test
    void a_wait_on_another_instance_is_answered_as_soon_as_the_decision_is_approved() {
        JsonNode decision = pending();
        CompletableFuture<HttpResult> wait = waitFor(twin, decision, 25);
        reached(wait);
        long approvedAt = System.nanoTime();

        HttpResult approved = server.post("/api/approvals/" + decision.get("approvalId").asText() + "/approve",
                approver, Map.of("comment", "fine"));
        assertEquals(200, approved.status(), approved.body());

        HttpResult answer = wait.join();
        assertEquals(200, answer.status(), answer.body());
        assertEquals("APPROVED", answer.json().get("status").asText());
        assertTrue(Duration.ofNanos(System.nanoTime() - approvedAt).toSeconds() < 5, "answered at once, not at the deadline");
    }

    @Test
    void a_wait_is_answered_when_the_approval_expires() {
        JsonNode decision = pending();
        CompletableFuture<HttpResult> wait = waitFor(server, decision, 25);
        reached(wait);

        // past its deadline, and already escalated once, so the sweeper expires it
        server.jdbi().useHandle(h -> h.execute("update approvals set expires_at = now(), escalated = true"
                + " where id = cast(? as uuid)",
                decision.get("approvalId").asText()));

        HttpResult answer = wait.join();
        assertEquals("EXPIRED", answer.json().get("status").asText(), answer.body());
    }

    @Test
    void a_wait_ends_at_its_deadline_with_the_decision_still_pending() {
        JsonNode decision = pending();
        long started = System.nanoTime();

        HttpResult answer = waitFor(server, decision, 2).join();

        long waited = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertEquals(200, answer.status(), answer.body());
        assertEquals("PENDING_APPROVAL", answer.json().get("status").asText());
        assertTrue(waited >= 1900 && waited < 6000, "waited " + waited + " ms");
    }

    @Test
    void a_decided_decision_is_answered_without_waiting() {
        JsonNode decision = pending();
        server.post("/api/approvals/" + decision.get("approvalId").asText() + "/reject", approver,
                Map.of("comment", "no"));
        long started = System.nanoTime();

        HttpResult answer = waitFor(server, decision, 20).join();

        assertEquals("REJECTED", answer.json().get("status").asText());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 3);
    }

    @Test
    void a_wait_beyond_the_bound_is_refused_naming_the_field() {
        JsonNode decision = pending();
        for (String bad : new String[] {"31", "-1", "soon"}) {
            HttpResult refused = server.get("/api/agents/" + agentId + "/decisions/"
                    + decision.get("decisionId").asText() + "?waitSeconds=" + bad, agentToken);
            assertEquals(400, refused.status(), refused.body());
            assertEquals("waitSeconds", refused.errorFields().get(0));
        }
        assertFalse(server.get("/api/agents/" + agentId + "/decisions/" + decision.get("decisionId").asText()
                + "?waitSeconds=0", agentToken).json().isNull());
    }
}
