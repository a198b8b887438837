package dev.agentfactory.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Cleared actions are bound to their arguments and good once; reports are kept; violations show; receipts tell all. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecutionReportTest {
    private TestServer server;
    private String pm;
    private String approver;
    private String admin;
    private String[] autonomous;
    private String[] asking;

    @BeforeAll
    void start() {
        server = TestServer.start("executions");
        String org = server.organization("executing");
        pm = server.token(org, "pam", "PM");
        approver = server.token(org, "avery", "APPROVER");
        admin = server.token(org, "ada", "ADMIN");
        autonomous = agent("Doer", "RiskBased");
        asking = agent("Asker", "AlwaysAsk");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String[] agent(String name, String mode) {
        String id = Agents.createAndDeploy(server, pm, Blueprints.with(Blueprints.valid(name), "actionConfig",
                "overrideMode", mode));
        return new String[] {id, Agents.agentToken(server, pm, id)};
    }

    private static Map<String, Object> action(Map<String, Object> payload) {
        return Map.of("actionType", "GenerateRecommendation", "confidence", 0.95, "contactId", "c-1",
                "payload", payload);
    }

    private HttpResult report(String[] agent, String decisionId, Map<String, Object> payload) {
        return server.post("/api/agents/" + agent[0] + "/decisions/" + decisionId + "/executed", agent[1],
                Map.of("contactId", "c-1", "payload", payload));
    }

    private static String sha256(String text) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void an_executed_action_carries_the_digest_of_its_canonical_arguments_and_a_matching_report_matches() throws Exception {
        JsonNode decision = Agents.propose(server, autonomous[1], autonomous[0],
                action(Map.of("topic", "loans", "amount", 1.50)));
        assertEquals("EXECUTE", decision.get("decision").asText(), decision.toString());
        assertEquals(sha256("{\"actionType\":\"GenerateRecommendation\",\"contactId\":\"c-1\","
                + "\"payload\":{\"amount\":1.5,\"topic\":\"loans\"}}"), decision.get("argumentsDigest").asText());

        HttpResult matched = report(autonomous, decision.get("decisionId").asText(), Map.of("amount", 1.5, "topic", "loans"));

        assertEquals(200, matched.status(), matched.body());
        assertEquals("match", matched.json().get("outcome").asText());
        assertFalse(matched.json().get("violation").asBoolean());
    }

    @Test
    void concurrent_reports_of_one_execution_match_exactly_once_and_the_rest_are_violations() throws Exception {
        JsonNode decision = Agents.propose(server, autonomous[1], autonomous[0], action(Map.of("n", 7)));
        String decisionId = decision.get("decisionId").asText();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<HttpResult>> reports = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            reports.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return report(autonomous, decisionId, Map.of("n", 7));
            }));
        }
        go.countDown();

        List<String> outcomes = reports.stream().map(CompletableFuture::join)
                .map(r -> r.json().get("outcome").asText()).toList();
        assertEquals(1, outcomes.stream().filter("match"::equals).count(), outcomes.toString());
        assertEquals(9, outcomes.stream().filter("repeat"::equals).count(), outcomes.toString());
        JsonNode receipt = server.get("/api/agents/" + autonomous[0] + "/decisions/" + decisionId + "/receipt", pm).json();
        assertEquals(10, receipt.get("executions").size());
        JsonNode violations = server.get("/api/monitoring/agents/" + autonomous[0] + "/violations?limit=100", pm).json();
        long repeats = 0;
        for (JsonNode v : violations.get("items")) {
            repeats += v.get("decisionId").asText().equals(decisionId) && v.get("outcome").asText().equals("repeat") ? 1 : 0;
        }
        assertEquals(9, repeats);
    }

    @Test
    void other_arguments_than_the_cleared_ones_are_a_mismatch_shown_as_a_violation() {
        JsonNode decision = Agents.propose(server, autonomous[1], autonomous[0], action(Map.of("to", "a@example.com")));
        String decisionId = decision.get("decisionId").asText();

        HttpResult mismatch = report(autonomous, decisionId, Map.of("to", "b@example.com"));

        assertEquals("mismatch", mismatch.json().get("outcome").asText(), mismatch.body());
        assertTrue(mismatch.json().get("violation").asBoolean());
        JsonNode violations = server.get("/api/monitoring/agents/" + autonomous[0] + "/violations", pm).json();
        assertTrue(violations.get("items").findValuesAsText("reportId").contains(mismatch.json().get("reportId").asText()));
        JsonNode audit = server.get("/api/audit?entityId=" + decisionId, admin).json();
        assertTrue(audit.toString().contains("decision.execution_violation"), audit.toString());
    }

    @Test
    void an_approved_action_is_good_once_with_its_arguments_and_its_receipt_shows_the_chain() {
        JsonNode decision = Agents.propose(server, asking[1], asking[0], action(Map.of("offer", "5%")));
        String decisionId = decision.get("decisionId").asText();
        assertEquals("not_cleared", report(asking, decisionId, Map.of("offer", "5%")).json().get("outcome").asText(),
                "a pending action is not cleared");
        server.post("/api/approvals/" + decision.get("approvalId").asText() + "/approve", approver,
                Map.of("comment", "ok"));
        JsonNode approved = server.get("/api/agents/" + asking[0] + "/decisions/" + decisionId, asking[1]).json();
        assertEquals("APPROVED", approved.get("status").asText());
        assertFalse(approved.get("approvedUntil").isNull());

        HttpResult executed = report(asking, decisionId, Map.of("offer", "5%"));

        assertEquals("match", executed.json().get("outcome").asText(), executed.body());
        assertEquals(approved.get("argumentsDigest").asText(), executed.json().get("expectedDigest").asText());
        JsonNode receipt = server.get("/api/agents/" + asking[0] + "/decisions/" + decisionId + "/receipt",
                admin).json();
        assertEquals("5%", receipt.at("/proposed/payload/offer").asText());
        assertEquals("REQUIRE_APPROVAL", receipt.at("/decided/decision").asText());
        assertEquals("avery", receipt.at("/approval/decidedBy").asText());
        assertEquals("avery", receipt.at("/approval/votes/0/principal").asText());
        assertEquals(2, receipt.get("executions").size());
        assertEquals("match", receipt.at("/executions/1/outcome").asText());
        assertEquals("5%", receipt.at("/executions/1/arguments/payload/offer").asText());
    }

    @Test
    void an_approval_past_its_expiry_is_a_violation_when_executed() {
        JsonNode decision = Agents.propose(server, asking[1], asking[0], action(Map.of("late", true)));
        String decisionId = decision.get("decisionId").asText();
        server.post("/api/approvals/" + decision.get("approvalId").asText() + "/approve", approver, Map.of());
        server.jdbi().useHandle(h -> h.execute("update decisions set approved_until = now() - interval '1 second'"
                + " where id = cast(? as uuid)", decisionId));

        HttpResult late = report(asking, decisionId, Map.of("late", true));

        assertEquals("expired", late.json().get("outcome").asText(), late.body());
    }

    @Test
    void a_report_whose_payload_is_not_an_object_is_refused_naming_the_field() {
        JsonNode decision = Agents.propose(server, autonomous[1], autonomous[0], action(Map.of()));
        HttpResult refused = server.post("/api/agents/" + autonomous[0] + "/decisions/"
                + decision.get("decisionId").asText() + "/executed", autonomous[1], Map.of("payload", "text"));
        assertEquals(400, refused.status(), refused.body());
        assertEquals("payload", refused.errorFields().get(0));
        HttpResult foreign = server.post("/api/agents/" + autonomous[0] + "/decisions/"
                + decision.get("decisionId").asText() + "/executed", asking[1], Map.of("payload", Map.of()));
        assertEquals(403, foreign.status(), "an agent reports only its own executions");
    }
}
