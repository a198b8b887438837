package dev.agentfactory.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.support.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidationApiTest {
    private TestServer server;
    private Path rules;
    private String pm;
    private String compliance;

    @BeforeAll
    void start() {
        rules = RulesFolder.copyOfShipped();
        server = TestServer.start("validation", c -> c.withRulesDir(rules));
        String org = server.organization("validators");
        pm = server.token(org, "pia", "PM");
        compliance = server.token(org, "cody", "COMPLIANCE");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void a_dry_run_answers_with_findings_and_stores_nothing() {
        long blueprintsBefore = count("blueprints");
        Map<String, Object> risky = Blueprints.with(Blueprints.valid("Dry run"), "contextConfig", "accessLevel", "CrossOrg");

        HttpResult result = server.post("/api/validation/agent", pm, risky);

        assertEquals(200, result.status(), result.body());
        JsonNode report = result.json();
        assertFalse(report.get("valid").asBoolean());
        assertEquals(server.get("/api/rules/status", pm).json().get("version").asText(),
                report.get("ruleSetVersion").asText());
        JsonNode finding = findingOf(report, "BP-SEC-002");
        assertEquals("ERROR", finding.get("severity").asText());
        assertEquals(2, finding.get("tier").asInt());
        assertEquals("security", finding.get("category").asText());
        assertEquals("contextConfig.accessLevel", finding.get("field").asText());
        assertTrue(finding.get("message").asText().contains("CrossOrg"));
        assertTrue(report.has("riskLevel") && report.has("requiresApproval") && report.has("approvalReasons"));
        assertEquals(blueprintsBefore, count("blueprints"));
        assertEquals(0, count("validation_runs"));
    }

    @Test
    void an_admin_may_ask_for_cross_org_access_but_it_needs_approval() {
        Map<String, Object> crossOrg = Blueprints.with(Blueprints.valid("Admin cross-org"), "contextConfig",
                "accessLevel", "CrossOrg");

        JsonNode report = server.post("/api/validation/agent", TestServer.ADMIN_TOKEN, crossOrg).json();

        assertTrue(report.get("valid").asBoolean(), report.toString());
        assertTrue(report.get("requiresApproval").asBoolean());
        assertEquals("High", report.get("riskLevel").asText());
        assertEquals("accessLevel CrossOrg needs approval", report.get("approvalReasons").get(0).asText());
    }

    @Test
    void validating_a_stored_blueprint_moves_it_to_ready_and_records_the_run() {
        String id = server.post("/api/agents", pm, Blueprints.valid("Stored ok")).json().get("id").asText();

        HttpResult result = server.post("/api/validation/agent", pm, Map.of("blueprintId", id));

        assertEquals(200, result.status(), result.body());
        assertTrue(result.json().get("valid").asBoolean(), result.body());
        assertEquals("ReadyForDeployment", result.json().get("status").asText());
        assertEquals(1, result.json().get("blueprintVersion").asInt());
        assertEquals("ReadyForDeployment", server.get("/api/agents/" + id, pm).json().get("status").asText());
        String version = result.json().get("ruleSetVersion").asText();
        assertEquals(version, server.jdbi().withHandle(h -> h.createQuery(
                "select rule_set_version from validation_runs where blueprint_id = cast(:id as uuid)")
                .bind("id", id).mapTo(String.class).one()));
        JsonNode audit = server.get("/api/audit?entityId=" + id + "&action=blueprint.validated", compliance).json();
        assertEquals(1, audit.get("total").asInt());
        JsonNode entry = audit.get("items").get(0);
        assertEquals(version, entry.get("ruleSetVersion").asText());
        assertTrue(entry.get("rulesFired").toString().contains("CAT-"), entry.toString());
        assertEquals("Draft", entry.at("/before/status").asText());
        assertEquals("ReadyForDeployment", entry.at("/after/status").asText());
    }

    @Test
    void an_invalid_stored_blueprint_fails_validation_and_an_edit_sends_it_back_to_draft() {
        Map<String, Object> noGoal = Blueprints.with(Blueprints.valid("Stored bad"), null, "goal", "");
        String id = server.post("/api/agents", pm, noGoal).json().get("id").asText();

        JsonNode report = server.post("/api/validation/agent", pm, Map.of("blueprintId", id)).json();

        assertFalse(report.get("valid").asBoolean());
        assertEquals("ValidationFailed", report.get("status").asText());
        assertEquals("goal", findingOf(report, "BP-STR-003").get("field").asText());
        server.put("/api/agents/" + id, pm, Blueprints.valid("Stored bad, fixed"));
        assertEquals("Draft", server.get("/api/agents/" + id, pm).json().get("status").asText());
        assertEquals("ReadyForDeployment",
                server.post("/api/validation/agent", pm, Map.of("blueprintId", id)).json().get("status").asText());
    }

    @Test
    void validation_input_errors_are_4xx() {
        assertEquals(404, server.post("/api/validation/agent", pm,
                Map.of("blueprintId", "3f2c1a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f")).status());
        assertEquals(400, server.post("/api/validation/agent", pm, Map.of("blueprintId", "nope")).status());
        assertEquals(400, server.post("/api/validation/agent", pm, Map.of("blueprintId", 7)).status());
        assertEquals(400, server.post("/api/validation/agent", pm,
                Map.of("blueprintId", "3f2c1a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f", "name", "x")).status());
        assertEquals(400, server.post("/api/validation/agent", pm, Map.of("nam", "typo")).status());
        String agentId = Agents.create(server, TestServer.ADMIN_TOKEN, Blueprints.valid("an agent"));
        assertEquals(403, server.post("/api/validation/agent", Agents.agentToken(server, TestServer.ADMIN_TOKEN, agentId),
                Blueprints.valid("x")).status());
    }

    @Test
    void the_rule_listing_shows_every_loaded_rule_with_its_metadata() {
        JsonNode listing = server.get("/api/validation/rules", pm).json();
        List<String> ids = new ArrayList<>();
        listing.get("rules").forEach(r -> ids.add(r.get("id").asText()));
        assertTrue(ids.containsAll(List.of("BP-SEC-001", "BP-SEC-002", "BP-SEC-003", "BP-SEC-004", "CAT-004")), ids.toString());
        JsonNode sec2 = null;
        for (JsonNode rule : listing.get("rules")) {
            if (rule.get("id").asText().equals("BP-SEC-002")) {
                sec2 = rule;
            }
        }
        assertEquals("blueprint/security.drl", sec2.get("file").asText());
        assertEquals("blueprint.security", sec2.get("packageName").asText());
        assertEquals(2, sec2.get("tier").asInt());
        assertEquals("ERROR", sec2.get("severity").asText());
        assertFalse(sec2.get("description").asText().isBlank());
        assertFalse(listing.get("ruleSetVersion").asText().isBlank());
    }

    private long count(String table) {
        return server.jdbi().withHandle(h -> h.createQuery("select count(*) from " + table).mapTo(Long.class).one());
    }

    static JsonNode findingOf(JsonNode report, String ruleId) {
        for (JsonNode finding : report.get("findings")) {
            if (finding.get("ruleId").asText().equals(ruleId)) {
                return finding;
            }
        }
        throw new AssertionError("no finding of " + ruleId + " in " + report);
    }
}
