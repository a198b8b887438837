package dev.agentfactory.customrule;

import static dev.agentfactory.support.CustomRules.actionExample;
import static dev.agentfactory.support.CustomRules.actionRule;
import static dev.agentfactory.support.CustomRules.any;
import static dev.agentfactory.support.CustomRules.blueprintExample;
import static dev.agentfactory.support.CustomRules.blueprintRule;
import static dev.agentfactory.support.CustomRules.finding;
import static dev.agentfactory.support.CustomRules.leaf;
import static dev.agentfactory.support.CustomRules.requireApproval;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.cluster.ChangeLog;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Custom rules are data: what a user types never runs as code, and no input can hang or slip past them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomRuleSafetyTest {
    private static final String RULES = "/api/validation/rules";

    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start("customrulesafety");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private record Org(String id, String pm, String compliance, String agentId, String agent) {
    }

    private Org org(String name) {
        String id = server.organization(name);
        String pm = server.token(id, "pat-" + name, "PM");
        Map<String, Object> blueprint = Blueprints.with(Blueprints.valid("Agent " + name), "actionConfig",
                "allowedActionTypes", List.of("GenerateRecommendation"));
        String agentId = Agents.createAndDeploy(server, pm, blueprint);
        return new Org(id, pm, server.token(id, "cora-" + name, "COMPLIANCE"), agentId,
                Agents.agentToken(server, pm, agentId));
    }

    private JsonNode recommend(Org org, Map<String, Object> payload) {
        Map<String, Object> action = new HashMap<>(Map.of("actionType", "GenerateRecommendation", "confidence", 0.95));
        action.put("payload", payload);
        return Agents.propose(server, org.agent(), org.agentId(), action);
    }

    @Test
    void values_and_reasons_full_of_code_stay_data() {
        Org org = org("injection");
        Path marker = Path.of(System.getProperty("java.io.tmpdir"), "af-custom-rule-" + UUID.randomUUID());
        String exec = "\"); java.lang.Runtime.getRuntime().exec(\"touch " + marker + "\"); (\"";
        String hostile = "\" end then \\u0022 System.exit(1) " + exec;
        String reason = "needs a human " + hostile;
        String key = "note\"); System.exit(1); (\"";
        Map<String, Object> rule = actionRule("hostile-values", any(
                        leaf("payload." + key, "==", hostile),
                        leaf("payload.note", "in", List.of(hostile, "end", "then", "System.exit(1)")),
                        leaf("payload.text", "contains", exec),
                        leaf("payload.code", "matches", "\\Q" + exec + "\\E")),
                requireApproval(reason),
                List.of(actionExample("fires", "GenerateRecommendation", 0.9, "payload", Map.of(key, hostile)),
                        actionExample("fires", "GenerateRecommendation", 0.9, "payload", Map.of("code", "x" + exec)),
                        actionExample("quiet", "GenerateRecommendation", 0.9, "payload", Map.of("note", "harmless"))));
        rule.put("description", hostile);

        HttpResult created = server.post(RULES, org.compliance(), rule);

        assertEquals(201, created.status(), created.body());
        JsonNode stored = server.get(RULES + "/" + created.json().get("id").asText(), org.compliance()).json();
        assertEquals(hostile, stored.get("description").asText());
        assertEquals(reason, stored.at("/then/requireApproval").asText());
        assertEquals("payload." + key, stored.at("/when/any/0/field").asText());
        assertEquals(hostile, stored.at("/when/any/0/value").asText());
        String drl = stored.get("drl").asText();
        for (String text : List.of("System", "Runtime", "touch", "\\u0022", "hostile", "needs a human", "note")) {
            assertFalse(drl.contains(text), "'" + text + "' must not reach the generated DRL:\n" + drl);
        }
        assertTrue(drl.contains("CustomRuleInput( target == CustomTarget.ACTION, (test(1, 0) || test(1, 1) || test(1, 2) "
                + "|| test(1, 3)) )"), drl);

        JsonNode byKey = recommend(org, Map.of(key, hostile));
        JsonNode byList = recommend(org, Map.of("note", "System.exit(1)"));
        JsonNode byText = recommend(org, Map.of("text", "prefix " + exec + " suffix"));
        JsonNode harmless = recommend(org, Map.of("note", "end"  + "s well"));

        for (JsonNode decision : List.of(byKey, byList, byText)) {
            assertEquals("REQUIRE_APPROVAL", decision.get("decision").asText(), decision.toString());
            assertTrue(Agents.texts(decision.get("reasons")).contains(reason), decision.toString());
        }
        assertEquals("EXECUTE", harmless.get("decision").asText(), harmless.toString());
        assertFalse(Files.exists(marker), "nothing a rule holds was executed");
        assertEquals(200, server.get("/health", null).status());
    }

    @Test
    void a_blueprint_finding_full_of_code_is_shown_as_written() {
        Org org = org("injection-bp");
        String message = "\"); System.exit(1); (\" end then \\u0022";
        HttpResult created = server.post(RULES, org.compliance(), blueprintRule("hostile-finding",
                leaf("goal", "contains", "\" then end"), finding("WARNING", "goal\"); System.exit(1); (\"", message),
                List.of(blueprintExample("fires", Map.of("goal", "x \" then end x")))));
        assertEquals(201, created.status(), created.body());

        JsonNode report = server.post("/api/validation/agent", org.pm(),
                Blueprints.with(Blueprints.valid("Hostile goal"), null, "goal", "book \" then end viewings")).json();

        boolean found = false;
        for (JsonNode f : report.get("findings")) {
            if (f.get("ruleId").asText().equals("CUS-1")) {
                found = true;
                assertEquals(message, f.get("message").asText());
                assertEquals("WARNING", f.get("severity").asText());
            }
        }
        assertTrue(found, report.toString());
        assertEquals("Medium", report.get("riskLevel").asText(), "the shared risk rules see the custom warning");
    }

    @Test
    void a_catastrophic_pattern_answers_fast_and_counts_as_a_match() {
        Org org = org("redos");
        HttpResult created = server.post(RULES, org.compliance(), actionRule("only-as",
                leaf("payload.note", "matches", "^(a+)+$"), requireApproval("notes of only a's need a human"),
                List.of(actionExample("fires", "GenerateRecommendation", 0.9, "payload", Map.of("note", "aaaa")),
                        actionExample("quiet", "GenerateRecommendation", 0.9, "payload", Map.of("note", "aaab")))));
        assertEquals(201, created.status(), created.body());

        long started = System.nanoTime();
        JsonNode evil = recommend(org, Map.of("note", "a".repeat(5_000) + "b"));
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(millis < 5_000, "answered in " + millis + " ms");
        assertEquals("REQUIRE_APPROVAL", evil.get("decision").asText(), evil.toString());
        assertTrue(evil.get("reasons").toString().contains("ran out of steps"), evil.toString());
        assertEquals("EXECUTE", recommend(org, Map.of("note", "hello")).get("decision").asText());
        assertEquals("REQUIRE_APPROVAL", recommend(org, Map.of("note", "aaaaaaaa")).get("decision").asText());
    }

    @Test
    void a_value_that_cannot_be_read_as_a_number_does_not_slip_past_a_comparison() {
        Org org = org("numbers");
        HttpResult created = server.post(RULES, org.compliance(), actionRule("big-orders-need-a-human",
                leaf("payload.quantity", ">", 500), requireApproval("orders above 500 units need a human"),
                List.of(actionExample("fires", "GenerateRecommendation", 0.9, "payload", Map.of("quantity", 600)),
                        actionExample("quiet", "GenerateRecommendation", 0.9, "payload", Map.of("quantity", 100)))));
        assertEquals(201, created.status(), created.body());

        for (Object quantity : List.of(600, "600", " 6e2 ", "5,000", "lots", Map.of("value", 600), true, List.of(1, 900))) {
            JsonNode decision = recommend(org, Map.of("quantity", quantity));
            assertEquals("REQUIRE_APPROVAL", decision.get("decision").asText(), quantity + ": " + decision);
            assertTrue(Agents.texts(decision.get("rulesFired")).contains("CUS-1"), quantity + ": " + decision);
        }
        assertTrue(recommend(org, Map.of("quantity", "lots")).get("reasons").toString()
                .contains("payload.quantity is not a number"));
        for (Object quantity : List.of(100, "100", List.of(1, 2))) {
            assertEquals("EXECUTE", recommend(org, Map.of("quantity", quantity)).get("decision").asText(),
                    String.valueOf(quantity));
        }
        assertEquals("EXECUTE", recommend(org, Map.of()).get("decision").asText(), "no quantity: nothing to compare");
    }

    @Test
    void stored_rules_that_cannot_be_used_fail_closed_until_they_are_fixed() {
        Org org = org("broken");
        Org other = org("unbroken");
        HttpResult created = server.post(RULES, org.compliance(), actionRule("vip-notes", leaf("payload.note", "==", "vip"),
                requireApproval("VIP notes need a human"),
                List.of(actionExample("fires", "GenerateRecommendation", 0.9, "payload", Map.of("note", "vip")))));
        assertEquals(201, created.status(), created.body());
        String id = created.json().get("id").asText();
        assertEquals("EXECUTE", recommend(org, Map.of()).get("decision").asText());

        // As if a later version of the server no longer accepted what an earlier one stored, announced
        // as every change of custom rules is.
        server.jdbi().useTransaction(h -> {
            h.execute("update custom_rules set definition = jsonb_set(definition, '{when}', "
                    + "'{\"field\": \"gone\", \"op\": \"==\", \"value\": 1}') where id = cast(? as uuid)", id);
            h.execute("update custom_rule_sets set version = version + 1 where organization_id = cast(? as uuid)", org.id());
            ChangeLog.record(h, CustomRuleLoader.CHANGED, UUID.fromString(org.id()), org.id());
        });

        await().atMost(Duration.ofSeconds(2)).until(() ->
                recommend(org, Map.of()).get("decision").asText().equals("REQUIRE_APPROVAL"));
        JsonNode decision = recommend(org, Map.of());
        assertTrue(Agents.texts(decision.get("rulesFired")).contains("CUS-UNAVAILABLE"), decision.toString());
        assertTrue(decision.get("reasons").toString().contains("could not be loaded"), decision.toString());
        JsonNode report = server.post("/api/validation/agent", org.pm(), Blueprints.valid("Any blueprint")).json();
        assertFalse(report.get("valid").asBoolean(), report.toString());
        assertTrue(Agents.texts(report.get("rulesFired")).contains("CUS-UNAVAILABLE"), report.toString());
        assertEquals("EXECUTE", recommend(other, Map.of()).get("decision").asText(), "other organizations are untouched");
        HttpResult blocked = server.post(RULES, org.compliance(), actionRule("another", leaf("payload.note", "==", "x"),
                requireApproval("x"), List.of(actionExample("fires", "GenerateRecommendation", 0.9, "payload",
                        Map.of("note", "x")))));
        assertEquals(422, blocked.status(), blocked.body());
        assertEquals("vip-notes", blocked.json().at("/error/details/0/rule").asText());

        HttpResult fixed = server.put(RULES + "/" + id, org.compliance(), actionRule("vip-notes",
                leaf("payload.note", "==", "vip"), requireApproval("VIP notes need a human"),
                List.of(actionExample("fires", "GenerateRecommendation", 0.9, "payload", Map.of("note", "vip")))));
        assertEquals(200, fixed.status(), fixed.body());
        assertEquals("EXECUTE", recommend(org, Map.of()).get("decision").asText());
        assertEquals("REQUIRE_APPROVAL", recommend(org, Map.of("note", "vip")).get("decision").asText());
        assertEquals(204, server.delete(RULES + "/" + id, org.compliance()).status());
        assertEquals("EXECUTE", recommend(org, Map.of("note", "vip")).get("decision").asText());
    }
}
