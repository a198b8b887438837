package dev.agentfactory.rules;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The single-server way, with a second server on the same database: server A watches a folder;
 * a saved file is published and goes live on A and B; start-up takes the same path as a save.
 */
class WatchedFolderBundlesTest {
    private static final Duration PROPAGATION = Duration.ofSeconds(10);

    private Path folder;
    private TestServer a;
    private TestServer b;

    @BeforeEach
    void start() {
        folder = RulesFolder.copyOfShipped();
        a = TestServer.start("watchedbundles", c -> c.withRulesDir(folder));
        b = a.twin(c -> c.withRulesWatch(false));
    }

    @AfterEach
    void stop() {
        b.close();
        a.close();
    }

    private static String probeRule(String message) {
        return """
                package blueprint.probe;
                import dev.agentfactory.rules.model.*;

                rule "BP-WAT-001 watch probe"
                    @tier(3) @severity("INFO") @description("Marks the watch probe blueprint")
                when
                    BlueprintFact( name == "Watch probe" )
                then
                    insert(Results.finding(drools, "%s", "name"));
                end
                """.formatted(message);
    }

    private static JsonNode status(TestServer server) {
        return server.get("/api/rules/status", TestServer.ADMIN_TOKEN).json();
    }

    private static String version(TestServer server) {
        return status(server).get("version").asText();
    }

    private static String validationVersion(TestServer server) {
        HttpResult result = server.post("/api/validation/agent", TestServer.ADMIN_TOKEN, Blueprints.valid("Watch probe"));
        assertEquals(200, result.status(), result.body());
        return result.json().get("ruleSetVersion").asText();
    }

    @Test
    void a_file_saved_in_the_watched_folder_of_one_server_goes_live_on_both() {
        String before = version(a);
        assertEquals(before, version(b));
        assertTrue(status(a).get("source").asText().startsWith("watcher on "), status(a).toString());

        RulesFolder.write(folder.resolve("blueprint/probe.drl"), probeRule("saved on A"));

        String saved = Bundle.read(folder).version();
        assertNotEquals(before, saved);
        await().atMost(PROPAGATION).until(() -> saved.equals(version(a)) && saved.equals(version(b)));
        HttpResult onB = b.post("/api/validation/agent", TestServer.ADMIN_TOKEN, Blueprints.valid("Watch probe"));
        assertTrue(onB.body().contains("saved on A"), onB.body());
        assertEquals(saved, onB.json().get("ruleSetVersion").asText());
        assertEquals(saved, b.get("/api/rules/bundles", TestServer.ADMIN_TOKEN).json().get("activeVersion").asText());
        JsonNode loadedOnB = b.get("/api/audit?action=rules.loaded&entityId=" + saved, TestServer.ADMIN_TOKEN).json();
        assertEquals(2, loadedOnB.get("total").asInt(), "each server says it serves it: " + loadedOnB);
    }

    @Test
    void a_server_starting_on_a_refused_folder_serves_the_database_s_active_bundle() throws Exception {
        String good = version(a);
        Path security = folder.resolve("blueprint/security.drl");
        Files.writeString(security, Files.readString(security).replace("then\n    insert(Results.finding(drools, \"maxAllowedScope",
                "then then\n    insert(Results.finding(drools, \"maxAllowedScope"));
        String broken = Bundle.read(folder).version();

        a = a.restart();

        JsonNode status = status(a);
        assertEquals(good, status.get("version").asText(), status.toString());
        assertEquals(good, status.get("activeVersion").asText());
        assertTrue(status.get("inSync").asBoolean());
        assertEquals(broken, status.at("/lastRefusal/version").asText());
        assertEquals("blueprint/security.drl", status.at("/lastRefusal/errors/0/file").asText());
        assertTrue(status.at("/lastRefusal/errors/0/line").asInt() > 0, status.toString());
        assertEquals(good, validationVersion(a));
        assertEquals(200, a.get("/health", null).status(), "ready: it serves a tested bundle");
        assertEquals(good, version(b), "and nothing changed for the other server");
    }

    @Test
    void a_change_to_templates_and_rule_tests_together_is_tested_against_the_new_templates() throws Exception {
        String before = version(a);
        Path actions = folder.resolve("templates/agent-actions.drt");
        String template = Files.readString(actions);
        String renamed = template.replace("rule \"AGT-ACT-@{row.rowNumber} an allowed action type\"",
                "rule \"AGT-ALW-@{row.rowNumber} an allowed action type\"");
        assertNotEquals(template, renamed, "the shipped template changed: adapt this test");
        String testExpecting = """
                {"description": "the allowed-action rule of a compiled agent",
                 "base": {"name": "Template probe", "description": "d", "goal": "g",
                          "actionConfig": {"allowedActionTypes": ["GenerateRecommendation"]},
                          "promptConfig": {"promptTemplateId": "t"}},
                 "cases": [
                   {"name": "the allowed action type is permitted by the agent's own rule",
                    "kind": "action",
                    "action": {"actionType": "GenerateRecommendation", "confidence": 0.9},
                    "expect": {"fired": ["%s"]}}
                 ]}
                """;

        // Both in one change: the new rule id, and the test that expects it.
        Files.writeString(folder.resolve("tests/template-ids.json"), testExpecting.formatted("AGT-ALW-0"));
        Files.writeString(actions, renamed);
        HttpResult together = a.post("/api/rules/reload", TestServer.ADMIN_TOKEN, "{}");

        assertEquals(200, together.status(), together.body());
        // LOADED, or UNCHANGED when the watcher published the saved files first
        assertTrue(together.body().matches(".*\"outcome\":\"(LOADED|UNCHANGED)\".*"), together.body());
        String accepted = Bundle.read(folder).version();
        assertEquals(accepted, version(a));
        assertNotEquals(before, accepted);
        await().atMost(PROPAGATION).until(() -> accepted.equals(version(b)));

        // The other way round: the templates change, the test still expects the old id. Run against the
        // live templates it would pass; against the candidate's own it fails.
        Files.writeString(folder.resolve("tests/template-ids.json"), testExpecting.formatted("AGT-ACT-0"));
        HttpResult stale = a.post("/api/rules/reload", TestServer.ADMIN_TOKEN, "{}");

        assertEquals("REFUSED", stale.json().get("outcome").asText(), stale.body());
        assertEquals("tests", stale.json().at("/refusal/reason").asText());
        assertEquals("tests/template-ids.json", stale.json().at("/refusal/errors/0/file").asText());
        assertTrue(stale.json().at("/refusal/errors/0/message").asText().contains("AGT-ACT-0"), stale.body());
        assertEquals(accepted, version(a));
    }
}
