package dev.agentfactory.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.Cli;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.support.TestServer;
import dev.agentfactory.web.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Why a decision was made, and what a candidate bundle would have made of past decisions. */
class ReplayTest {
    private static final String HYBRID_FLOOR = "insertLogical(new ConfidenceFloor(ActionScope.Hybrid, 0.7));";

    @Test
    void explain_names_the_deciding_rules_and_the_confidence_that_would_have_run_it() {
        try (TestServer server = TestServer.start("explain")) {
            String pm = server.token(server.defaultOrganizationId(), "pia", "PM");
            String id = escalatingAgent(server, pm);
            String token = Agents.agentToken(server, pm, id);
            JsonNode decided = Agents.propose(server, token, id, action(0.65));
            assertEquals("REQUIRE_APPROVAL", decided.get("decision").asText(), decided.toString());

            HttpResult explained = server.get("/api/agents/" + id + "/decisions/" + decided.get("decisionId").asText()
                    + "/explain", pm);
            assertEquals(200, explained.status(), explained.body());
            JsonNode explain = explained.json();
            assertTrue(explain.get("reproduced").asBoolean(), explain.toString());
            assertEquals(decided.get("ruleSetVersion").asText(), explain.get("bundleVersion").asText());
            assertEquals(1, explain.get("agentVersion").asInt());
            List<String> deciding = new ArrayList<>();
            explain.get("deciding").forEach(d -> deciding.add(d.get("ruleId").asText()));
            assertTrue(deciding.containsAll(List.of("T2-010", "T3-015")), deciding.toString());
            assertEquals(0.7, explain.get("facts").get("confidenceFloor").get("value").asDouble(), explain.toString());
            JsonNode change = explain.get("toExecute").get(0);
            assertEquals("T2-010", change.get("ruleId").asText(), explain.toString());
            assertEquals("EXECUTE", change.get("wouldDecide").asText(), explain.toString());
            List<String> tier2 = new ArrayList<>();
            explain.get("tiers").forEach(t -> {
                if (t.get("tier").asText().equals("tier 2")) {
                    t.get("rules").forEach(r -> tier2.add(r.get("id").asText()));
                }
            });
            assertTrue(tier2.contains("T2-010"), explain.get("tiers").toString());

            HttpResult missing = server.get("/api/agents/" + id + "/decisions/" + java.util.UUID.randomUUID()
                    + "/explain", pm);
            assertEquals(404, missing.status(), missing.body());
        }
    }

    @Test
    void a_raised_confidence_floor_flips_exactly_the_decisions_between_the_floors_and_an_identical_bundle_none()
            throws Exception {
        Path rules = RulesFolder.copyOfShipped();
        try (TestServer server = TestServer.start("replay", c -> c.withRulesDir(rules))) {
            String pm = server.token(server.defaultOrganizationId(), "pia", "PM");
            String id = escalatingAgent(server, pm);
            String token = Agents.agentToken(server, pm, id);
            // the agent's floor for hybrid actions is max(0.7, its minConfidenceThreshold 0.75)
            String flips = null;
            for (double confidence : new double[] {0.95, 0.85, 0.78, 0.65}) {
                JsonNode decided = Agents.propose(server, token, id, action(confidence));
                assertEquals(confidence < 0.75 ? "REQUIRE_APPROVAL" : "EXECUTE", decided.get("decision").asText());
                if (confidence == 0.78) {
                    flips = decided.get("decisionId").asText();
                }
            }

            // Compliance raises the hybrid floor to 0.8: only the decision at 0.78 changes.
            Path candidate = RulesFolder.copyOfShipped();
            Path tier2 = candidate.resolve("actions/tier2-risk.drl");
            String text = Files.readString(tier2);
            assertTrue(text.contains(HYBRID_FLOOR));
            Files.writeString(tier2, text.replace(HYBRID_FLOOR, HYBRID_FLOOR.replace("0.7", "0.8")));

            Cli.Run impact = impact(server, candidate, "--json");
            assertEquals(0, impact.exitCode(), impact.toString());
            JsonNode report = Json.read(impact.output(), JsonNode.class);
            assertEquals(4, report.get("replayed").asInt(), report.toString());
            assertEquals(1, report.get("flipped").asInt(), report.toString());
            assertEquals(1, report.get("transitions").get("EXECUTE->REQUIRE_APPROVAL").asInt(), report.toString());
            JsonNode flip = report.get("samples").get(0);
            assertEquals(flips, flip.get("decisionId").asText());
            assertTrue(Agents.texts(flip.get("onlyNow")).containsAll(List.of("T2-010", "T3-015")), flip.toString());
            assertTrue(Agents.texts(flip.get("onlyBefore")).contains("T3-016"), flip.toString());
            assertEquals(1, report.get("byAgent").get(id).get("flipped").asInt(), report.toString());

            Cli.Run identical = impact(server, rules, "--json");
            assertEquals(0, identical.exitCode(), identical.toString());
            JsonNode same = Json.read(identical.output(), JsonNode.class);
            assertEquals(4, same.get("replayed").asInt(), same.toString());
            assertEquals(0, same.get("flipped").asInt(), same.toString());

            // a CI gate: more flips than allowed exits 3
            Cli.Run gated = impact(server, candidate, "--max-flips", "0");
            assertEquals(RulesImpactCommand.TOO_MANY_FLIPS, gated.exitCode(), gated.toString());
            assertTrue(gated.output().contains(flips), gated.toString());

            // publishing through the gate is refused, naming the decision; nothing changes
            String before = server.get("/api/rules/status", TestServer.ADMIN_TOKEN).json().get("version").asText();
            Cli.Run refused = Cli.publish(server, candidate, "olga", "--max-flips", "0");
            assertEquals(1, refused.exitCode(), refused.toString());
            assertTrue(refused.output().contains(flips) && refused.output().contains("nothing was published"),
                    refused.toString());
            assertEquals(before, server.get("/api/rules/status", TestServer.ADMIN_TOKEN).json().get("version").asText());

            // the API replays the caller's organization against the serving bundle (or a stored one)
            String compliance = server.token(server.defaultOrganizationId(), "olga", "COMPLIANCE");
            HttpResult api = server.post("/api/impact", compliance, Map.of("agentId", id, "samples", 5));
            assertEquals(200, api.status(), api.body());
            assertEquals(4, api.json().get("replayed").asInt(), api.body());
            assertEquals(0, api.json().get("flipped").asInt(), api.body());
            HttpResult bad = server.post("/api/impact", compliance, Map.of("limit", 0));
            assertEquals(400, bad.status(), bad.body());
            assertTrue(bad.body().contains("limit"), bad.body());
        }
    }

    @Test
    void an_agents_new_version_that_raises_its_floor_flips_exactly_the_decisions_it_would_send_to_a_human() {
        try (TestServer server = TestServer.start("replayagent")) {
            String pm = server.token(server.defaultOrganizationId(), "pia", "PM");
            Map<String, Object> blueprint = Blueprints.with(Blueprints.valid("Escalator"), "actionConfig",
                    "allowedActionTypes", List.of("EscalateLead"));
            String id = Agents.createAndDeploy(server, pm, blueprint);
            String token = Agents.agentToken(server, pm, id);
            List<String> between = new ArrayList<>();
            for (double confidence : new double[] {0.95, 0.85, 0.78, 0.65}) {
                JsonNode decided = Agents.propose(server, token, id, action(confidence));
                if (confidence > 0.75 && confidence < 0.9) {
                    assertEquals("EXECUTE", decided.get("decision").asText(), decided.toString());
                    between.add(decided.get("decisionId").asText());
                }
            }

            // version 2 raises the agent's own floor from 0.75 to 0.9; it is saved, not deployed
            HttpResult saved = server.put("/api/agents/" + id, pm,
                    Blueprints.with(blueprint, "validationConfig", "minConfidenceThreshold", 0.9));
            assertEquals(200, saved.status(), saved.body());
            assertEquals(2, saved.json().get("version").asInt(), saved.body());

            String compliance = server.token(server.defaultOrganizationId(), "olga", "COMPLIANCE");
            HttpResult replayed = server.post("/api/impact", compliance,
                    Map.of("agentId", id, "agentVersion", 2, "samples", 10));

            assertEquals(200, replayed.status(), replayed.body());
            JsonNode report = replayed.json();
            assertEquals(4, report.get("replayed").asInt(), report.toString());
            assertEquals(2, report.get("flipped").asInt(), report.toString());
            assertEquals(2, report.get("transitions").get("EXECUTE->REQUIRE_APPROVAL").asInt(), report.toString());
            List<String> flipped = new ArrayList<>();
            report.get("samples").forEach(sample -> flipped.add(sample.get("decisionId").asText()));
            assertEquals(new java.util.TreeSet<>(between), new java.util.TreeSet<>(flipped), report.toString());

            // the live agent still decides with version 1
            assertEquals("EXECUTE", Agents.propose(server, token, id, action(0.85)).get("decision").asText());
            HttpResult unknown = server.post("/api/impact", compliance, Map.of("agentId", id, "agentVersion", 7));
            assertTrue(unknown.status() == 404 || unknown.status() == 400, unknown.status() + " " + unknown.body());
        }
    }

    private static Cli.Run impact(TestServer server, Path dir, String... more) {
        List<String> args = new ArrayList<>(List.of("rules", "impact", dir.toString(),
                "--db-url", server.config().dbUrl().orElseThrow(), "--db-user", server.config().dbUser(),
                "--db-password", server.config().dbPassword(), "--data-dir", server.config().dataDir().toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private static String escalatingAgent(TestServer server, String pm) {
        return Agents.createAndDeploy(server, pm, Blueprints.with(Blueprints.valid("Escalator"), "actionConfig",
                "allowedActionTypes", List.of("EscalateLead")));
    }

    private static Map<String, Object> action(double confidence) {
        return Map.of("actionType", "EscalateLead", "confidence", confidence, "contactId", "c-1");
    }
}
