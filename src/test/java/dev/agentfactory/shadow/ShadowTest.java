package dev.agentfactory.shadow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A candidate decides beside the live policy, off the request path; promote or drop, audited. */
class ShadowTest {
    private static final String HYBRID_FLOOR = "insertLogical(new ConfidenceFloor(ActionScope.Hybrid, 0.7));";

    @Test
    void a_tightened_bundle_in_shadow_differs_on_exactly_the_expected_decisions_and_an_identical_one_on_none()
            throws Exception {
        Path rules = RulesFolder.copyOfShipped();
        try (TestServer server = TestServer.start("shadow", c -> c.withRulesDir(rules))) {
            String serving = version(server);
            // The tightened bundle is published (the folder changes), then the serving one activated again:
            // the tightened one is stored and not active, a candidate.
            Path tier2 = rules.resolve("actions/tier2-risk.drl");
            RulesFolder.write(tier2, Files.readString(tier2).replace(HYBRID_FLOOR, HYBRID_FLOOR.replace("0.7", "0.8")));
            await().atMost(Duration.ofSeconds(20)).until(() -> !version(server).equals(serving));
            String tightened = version(server);
            HttpResult back = server.post("/api/rules/bundles/" + serving + "/activate", TestServer.ADMIN_TOKEN,
                    Map.of("reason", "back to the serving rules; the tightened ones go to shadow"));
            assertEquals(200, back.status(), back.body());
            await().atMost(Duration.ofSeconds(10)).until(() -> version(server).equals(serving));

            String pm = server.token(server.defaultOrganizationId(), "pia", "PM");
            String officer = server.token(server.defaultOrganizationId(), "olga", "COMPLIANCE");
            String id = Agents.createAndDeploy(server, pm, Blueprints.with(Blueprints.valid("Escalator"),
                    "actionConfig", "allowedActionTypes", List.of("EscalateLead")));
            String tight = start(server, officer, Map.of("bundleVersion", tightened));
            String same = start(server, officer, Map.of("bundleVersion", serving));

            String token = Agents.agentToken(server, pm, id);
            String differs = null;
            for (double confidence : new double[] {0.95, 0.85, 0.78, 0.65}) {
                JsonNode decided = Agents.propose(server, token, id, Map.of("actionType", "EscalateLead",
                        "confidence", confidence, "contactId", "c-1"));
                if (confidence == 0.78) {
                    differs = decided.get("decisionId").asText();
                }
            }
            JsonNode tightReport = awaitEvaluated(server, officer, tight, 4);
            assertEquals(1, tightReport.get("differed").asInt(), tightReport.toString());
            assertEquals(1, tightReport.get("transitions").get("EXECUTE->REQUIRE_APPROVAL").asInt(),
                    tightReport.toString());
            JsonNode difference = tightReport.get("differences").get(0);
            assertEquals(differs, difference.get("decisionId").asText());
            assertTrue(Agents.texts(difference.get("onlyShadow")).contains("T2-010"), difference.toString());
            assertEquals(0, tightReport.get("skipped").asInt());
            JsonNode sameReport = awaitEvaluated(server, officer, same, 4);
            assertEquals(0, sameReport.get("differed").asInt(), sameReport.toString());
            assertEquals(1.0, sameReport.get("agreement").asDouble());

            // drop one, promote the other (a bundle: the system administrator); both audited
            HttpResult dropped = server.post("/api/shadows/" + same + "/drop", officer, "");
            assertEquals(200, dropped.status(), dropped.body());
            assertEquals("dropped", dropped.json().get("status").asText());
            assertEquals(409, server.post("/api/shadows/" + same + "/drop", officer, "").status());
            assertEquals(403, server.post("/api/shadows/" + tight + "/promote", officer, "").status());
            HttpResult promoted = server.post("/api/shadows/" + tight + "/promote", TestServer.ADMIN_TOKEN,
                    Map.of("reason", "the shadow agreed with what we expected"));
            assertEquals(200, promoted.status(), promoted.body());
            assertEquals("promoted", promoted.json().get("shadow").get("status").asText());
            await().atMost(Duration.ofSeconds(10)).until(() -> version(server).equals(tightened));
            assertEquals(List.of("shadow.dropped", "shadow.started"), actions(server, same));
            assertEquals(List.of("shadow.promoted", "shadow.started"), actions(server, tight));
        }
    }

    @Test
    void evaluations_the_full_queue_cannot_take_are_counted_as_skipped() {
        try (TestServer server = TestServer.start("shadowqueue", c -> c.withShadowQueue(1))) {
            String pm = server.token(server.defaultOrganizationId(), "pia", "PM");
            String officer = server.token(server.defaultOrganizationId(), "olga", "COMPLIANCE");
            String id = Agents.createAndDeploy(server, pm, Blueprints.with(Blueprints.valid("Busy"),
                    "actionConfig", "allowedActionTypes", List.of("EscalateLead")));
            String shadow = start(server, officer, Map.of("bundleVersion", version(server)));
            List<Map<String, Object>> actions = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                actions.add(Map.of("actionType", "EscalateLead", "confidence", 0.9, "contactId", "c-" + i));
            }
            HttpResult decided = server.post("/api/agents/" + id + "/actions", Agents.agentToken(server, pm, id),
                    Map.of("actions", actions));
            assertEquals(200, decided.status(), decided.body());
            // one request offers 50 evaluations in a row to a queue of one: most are skipped, none is lost
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                JsonNode report = report(server, officer, shadow);
                return report.get("evaluated").asInt() + report.get("skipped").asInt() == 50;
            });
            JsonNode report = report(server, officer, shadow);
            assertTrue(report.get("skipped").asInt() > 0, report.toString());
            assertEquals(0, report.get("differed").asInt(), report.toString());
        }
    }

    private static String start(TestServer server, String token, Map<String, Object> body) {
        HttpResult started = server.post("/api/shadows", token, body);
        assertEquals(201, started.status(), started.body());
        assertEquals("running", started.json().get("status").asText());
        return started.json().get("id").asText();
    }

    private static JsonNode awaitEvaluated(TestServer server, String token, String shadow, int count) {
        await().atMost(Duration.ofSeconds(15)).until(() -> report(server, token, shadow).get("evaluated").asInt()
                == count);
        return report(server, token, shadow);
    }

    private static JsonNode report(TestServer server, String token, String shadow) {
        HttpResult report = server.get("/api/shadows/" + shadow, token);
        assertEquals(200, report.status(), report.body());
        return report.json();
    }

    private static String version(TestServer server) {
        return server.get("/api/rules/status", TestServer.ADMIN_TOKEN).json().get("version").asText();
    }

    private static List<String> actions(TestServer server, String shadow) {
        List<String> actions = new ArrayList<>();
        server.get("/api/audit?entityId=" + shadow, TestServer.ADMIN_TOKEN).json().get("items")
                .forEach(e -> actions.add(e.get("action").asText()));
        return actions;
    }
}
