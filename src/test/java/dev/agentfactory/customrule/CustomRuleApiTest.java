package dev.agentfactory.customrule;

import static dev.agentfactory.support.CustomRules.actionExample;
import static dev.agentfactory.support.CustomRules.actionRule;
import static dev.agentfactory.support.CustomRules.all;
import static dev.agentfactory.support.CustomRules.any;
import static dev.agentfactory.support.CustomRules.bigPayments;
import static dev.agentfactory.support.CustomRules.blueprintExample;
import static dev.agentfactory.support.CustomRules.blueprintRule;
import static dev.agentfactory.support.CustomRules.finding;
import static dev.agentfactory.support.CustomRules.leaf;
import static dev.agentfactory.support.CustomRules.requireApproval;
import static dev.agentfactory.support.CustomRules.risk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Managing custom rules over HTTP: create, read, list, update, delete, who may, what is refused, what is audited. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomRuleApiTest {
    private static final String RULES = "/api/validation/rules";

    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start("customruleapi");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** A fresh organization with a compliance officer, for one test. */
    private record Org(String id, String compliance) {
    }

    private Org org(String name) {
        String id = server.organization(name);
        return new Org(id, server.token(id, "cora-" + name, "COMPLIANCE"));
    }

    @Test
    void a_rule_is_created_read_listed_updated_and_deleted_each_audited_in_the_organization() {
        Org org = org("crud");

        HttpResult created = server.post(RULES, org.compliance(), bigPayments("big-payments-need-a-human"));

        assertEquals(201, created.status(), created.body());
        JsonNode rule = created.json();
        String id = rule.get("id").asText();
        assertEquals("CUS-1", rule.get("ruleId").asText());
        assertEquals("big-payments-need-a-human", rule.get("name").asText());
        assertEquals("action", rule.get("appliesTo").asText());
        assertEquals(1, rule.get("version").asInt());
        assertEquals("\"1\"", created.header("ETag"));
        assertEquals(RULES + "/" + id, created.header("Location"));
        assertEquals("payments above 5,000 need a human", rule.at("/then/requireApproval").asText());
        assertEquals(5000, rule.at("/when/all/1/any/0/value").asInt());

        HttpResult read = server.get(RULES + "/" + id, org.compliance());
        assertEquals(200, read.status(), read.body());
        assertEquals(rule.get("when"), read.json().get("when"));
        assertTrue(read.json().get("drl").asText().contains("rule \"CUS-1\""), read.body());
        JsonNode listing = server.get(RULES, org.compliance()).json();
        assertEquals(1, listing.get("customRules").size());
        assertEquals(id, listing.at("/customRules/0/id").asText());
        assertTrue(listing.get("rules").size() > 10, "the shared rules are still listed");

        Map<String, Object> changed = bigPayments("big-payments-need-two-eyes");
        HttpResult updated = server.put(RULES + "/" + id, org.compliance(), changed, "If-Match", "\"1\"");
        assertEquals(200, updated.status(), updated.body());
        assertEquals(2, updated.json().get("version").asInt());
        assertEquals("CUS-1", updated.json().get("ruleId").asText(), "an update keeps the rule's id");
        assertEquals("big-payments-need-two-eyes", server.get(RULES + "/" + id, org.compliance()).json().get("name").asText());

        assertEquals(204, server.delete(RULES + "/" + id, org.compliance()).status());
        assertEquals(404, server.get(RULES + "/" + id, org.compliance()).status());
        assertEquals(0, server.get(RULES, org.compliance()).json().get("customRules").size());

        for (String action : List.of("rules.custom_created", "rules.custom_updated", "rules.custom_deleted")) {
            JsonNode audit = server.get("/api/audit?entityId=" + id + "&action=" + action, org.compliance()).json();
            assertEquals(1, audit.get("total").asInt(), action + ": " + audit);
            assertEquals(org.id(), audit.at("/items/0/organizationId").asText(), action);
            assertEquals("cora-crud", audit.at("/items/0/actor").asText());
        }
        JsonNode updateEntry = server.get("/api/audit?entityId=" + id + "&action=rules.custom_updated", org.compliance())
                .json().at("/items/0");
        assertEquals("big-payments-need-a-human", updateEntry.at("/before/name").asText());
        assertEquals("big-payments-need-two-eyes", updateEntry.at("/after/name").asText());
    }

    @Test
    void a_stale_version_is_a_412_and_changes_nothing() {
        Org org = org("stale");
        String id = server.post(RULES, org.compliance(), bigPayments("stale-one")).json().get("id").asText();
        assertEquals(200, server.put(RULES + "/" + id, org.compliance(), bigPayments("stale-two"), "If-Match", "\"1\"").status());

        HttpResult stale = server.put(RULES + "/" + id, org.compliance(), bigPayments("stale-three"), "If-Match", "\"1\"");
        Map<String, Object> withVersion = new HashMap<>(bigPayments("stale-four"));
        withVersion.put("version", 1);
        HttpResult staleBody = server.put(RULES + "/" + id, org.compliance(), withVersion);

        assertEquals(412, stale.status(), stale.body());
        assertEquals("precondition_failed", stale.json().at("/error/code").asText());
        assertEquals(412, staleBody.status(), staleBody.body());
        JsonNode rule = server.get(RULES + "/" + id, org.compliance()).json();
        assertEquals("stale-two", rule.get("name").asText());
        assertEquals(2, rule.get("version").asInt());
    }

    @Test
    void another_organizations_rule_is_not_found_and_not_listed() {
        Org a = org("iso-a");
        Org b = org("iso-b");
        String bRule = server.post(RULES, b.compliance(), bigPayments("b-only")).json().get("id").asText();

        assertEquals(404, server.get(RULES + "/" + bRule, a.compliance()).status());
        assertEquals(404, server.put(RULES + "/" + bRule, a.compliance(), bigPayments("hijacked")).status());
        assertEquals(404, server.delete(RULES + "/" + bRule, a.compliance()).status());
        assertEquals(404, server.get(RULES + "/" + bRule, TestServer.ADMIN_TOKEN).status(),
                "an admin sees its own organization's rules only");
        assertEquals(0, server.get(RULES, a.compliance()).json().get("customRules").size());
        JsonNode bRules = server.get(RULES, b.compliance()).json().get("customRules");
        assertEquals(1, bRules.size());
        assertEquals("b-only", bRules.get(0).get("name").asText());
        assertEquals(1, server.get(RULES + "/" + bRule, b.compliance()).json().get("version").asInt(), "untouched");
    }

    @Test
    void only_compliance_and_admins_change_rules() {
        Org org = org("roles");
        String id = server.post(RULES, org.compliance(), bigPayments("roles-rule")).json().get("id").asText();
        String agentId = Agents.create(server, server.token(org.id(), "pam", "PM"),
                dev.agentfactory.support.Blueprints.valid("Roles agent"));
        Map<String, String> others = new LinkedHashMap<>();
        others.put("PM", server.token(org.id(), "pete", "PM"));
        others.put("APPROVER", server.token(org.id(), "abe", "APPROVER"));
        others.put("AGENT", Agents.agentToken(server, server.token(org.id(), "ada", "ADMIN"), agentId));

        others.forEach((role, token) -> {
            assertEquals(403, server.post(RULES, token, bigPayments("by-" + role.toLowerCase())).status(), role);
            assertEquals(403, server.put(RULES + "/" + id, token, bigPayments("by-" + role.toLowerCase())).status(), role);
            assertEquals(403, server.delete(RULES + "/" + id, token).status(), role);
        });
        assertEquals(403, server.get(RULES + "/" + id, others.get("AGENT")).status());
        assertEquals(200, server.get(RULES + "/" + id, others.get("PM")).status(), "readers may read");
        assertEquals(1, server.get(RULES, org.compliance()).json().get("customRules").size());
        String admin = server.token(org.id(), "adele", "ADMIN");
        assertEquals(201, server.post(RULES, admin, bigPayments("by-admin")).status());
    }

    @Test
    void a_duplicate_name_is_a_409_naming_the_field() {
        Org org = org("dupes");
        assertEquals(201, server.post(RULES, org.compliance(), bigPayments("twice")).status());

        HttpResult again = server.post(RULES, org.compliance(), bigPayments("twice"));

        assertEquals(409, again.status(), again.body());
        assertEquals(List.of("name"), again.errorFields());
        assertEquals(1, server.get(RULES, org.compliance()).json().get("customRules").size());
        assertEquals(201, server.post(RULES, org("dupes-elsewhere").compliance(), bigPayments("twice")).status(),
                "names are unique per organization");
    }

    @Test
    void bad_definitions_are_400s_naming_the_field_and_store_nothing() {
        Org org = org("bad");
        List<Map<String, Object>> fires = List.of(actionExample("fires", "ProcessPayment", 0.95));
        Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
        cases.put("when.all[0].field", actionRule("unknown-field", all(leaf("nope", "==", "x")), requireApproval("r"), fires));
        cases.put("when.op", actionRule("unknown-op", leaf("actionType", "=~", "x"), requireApproval("r"), fires));
        cases.put("when.value", actionRule("wrong-type", leaf("confidence", "<", "high"), requireApproval("r"), fires));
        cases.put("when.any[1].value", actionRule("wrong-enum", any(leaf("actionType", "==", "X"),
                leaf("scope", "==", "Mars")), requireApproval("r"), fires));
        cases.put("when.all[0].op", actionRule("op-for-kind", all(leaf("actionType", ">", 3)), requireApproval("r"), fires));
        cases.put("when", actionRule("too-many", all(any(leaves(25)), any(leaves(26))), requireApproval("r"), fires));
        cases.put("when.any", actionRule("too-many-in-a-group", any(leaves(51)), requireApproval("r"), fires));
        cases.put("when.value[3]", actionRule("bad-in-value", leaf("actionType", "in", List.of("a", "b", "c", 4)),
                requireApproval("r"), fires));
        List<Object> fiftyOne = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            fiftyOne.add("Type" + i);
        }
        cases.put("when.value", actionRule("long-in", leaf("actionType", "in", fiftyOne), requireApproval("r"), fires));
        cases.put("when.value", actionRule("long-pattern", leaf("actionType", "matches", "a".repeat(201)),
                requireApproval("r"), fires));
        cases.put("when.all[0].value", actionRule("bad-regex", all(leaf("payload.note", "matches", "(unclosed")),
                requireApproval("r"), fires));
        cases.put("when.all[0].any[0].all[0].any[0].all", actionRule("too-deep",
                all(any(all(any(all(leaf("actionType", "==", "X")))))), requireApproval("r"), fires));
        cases.put("name", actionRule("", leaf("actionType", "==", "X"), requireApproval("r"), fires));
        cases.put("appliesTo", dev.agentfactory.support.CustomRules.rule("no-target", "everything",
                leaf("actionType", "==", "X"), requireApproval("r"), fires));
        cases.put("then.risk", blueprintRule("blueprint-risk", leaf("goal", "contains", "x"), risk(0.3, "r"),
                List.of(blueprintExample("fires", Map.of("goal", "x")))));
        cases.put("then.finding", actionRule("action-finding", leaf("actionType", "==", "X"),
                finding("ERROR", "goal", "m"), fires));
        cases.put("then.requireApproval", actionRule("blank-reason", leaf("actionType", "==", "X"),
                requireApproval(" "), fires));
        cases.put("examples", actionRule("no-examples", leaf("actionType", "==", "X"), requireApproval("r"), List.of()));
        cases.put("examples", actionRule("only-quiet", leaf("actionType", "==", "X"), requireApproval("r"),
                List.of(actionExample("quiet", "Y", 0.9))));
        cases.put("examples[0].action.confidence", actionRule("bad-example", leaf("actionType", "==", "X"),
                requireApproval("r"), List.of(actionExample("fires", "X", 7))));
        cases.put("examples[0].action.contextTypes", actionRule("null-context", leaf("actionType", "==", "X"),
                requireApproval("r"), List.of(actionExample("fires", "X", 0.9, "contextTypes",
                        java.util.Arrays.asList("A", null)))));
        cases.put("examples[0].blueprint.actionConfig.riskThreshold", actionRule("bad-example-blueprint",
                leaf("actionType", "==", "X"), requireApproval("r"), List.of(Map.of("expect", "fires",
                        "action", Map.of("actionType", "X"), "blueprint", Map.of("actionConfig",
                                Map.of("riskThreshold", "high"))))));
        cases.put("examples[0].agentId", actionRule("bad-agent-id", leaf("actionType", "==", "X"),
                requireApproval("r"), List.of(Map.of("expect", "fires", "action", Map.of("actionType", "X"),
                        "agentId", "agent-7"))));

        cases.forEach((field, body) -> {
            HttpResult result = server.post(RULES, org.compliance(), body);
            assertEquals(400, result.status(), field + ": " + result.body());
            assertEquals("bad_request", result.json().at("/error/code").asText());
            assertTrue(result.errorFields().contains(field), "expected " + field + " in " + result.body());
        });
        HttpResult unknownField = server.post(RULES, org.compliance(), actionRule("x-unknown",
                leaf("nope", "==", "x"), requireApproval("r"), fires));
        assertTrue(unknownField.json().at("/error/details/0/problem").asText().contains("payload.<key>"),
                "the allowed fields are listed: " + unknownField.body());
        assertEquals(400, server.post(RULES, org.compliance(), "{\"name\": ").status());
        assertEquals(400, server.post(RULES, org.compliance(), "[]").status());
        assertEquals(0, server.get(RULES, org.compliance()).json().get("customRules").size());
        assertEquals(0L, (long) server.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from custom_rules where organization_id = cast(:org as uuid)")
                .bind("org", org.id()).mapTo(Long.class).one()));
    }

    @Test
    void examples_that_do_not_behave_are_a_422_store_nothing_and_are_audited() {
        Org org = org("examples");
        Map<String, Object> wrong = actionRule("wrong-example",
                leaf("payload.amount", ">", 5000), requireApproval("big amounts need a human"),
                List.of(actionExample("fires", "ProcessPayment", 0.95, "payload", Map.of("amount", 100))));

        HttpResult refused = server.post(RULES, org.compliance(), wrong);

        assertEquals(422, refused.status(), refused.body());
        assertEquals("custom_rule_refused", refused.json().at("/error/code").asText());
        JsonNode detail = refused.json().at("/error/details/0");
        assertEquals("wrong-example", detail.get("rule").asText());
        assertEquals("examples[0]", detail.get("field").asText());
        assertTrue(detail.get("problem").asText().contains("stayed quiet"), detail.toString());
        assertEquals(0, server.get(RULES, org.compliance()).json().get("customRules").size());
        JsonNode audit = server.get("/api/audit?action=rules.custom_refused", org.compliance()).json();
        assertEquals(1, audit.get("total").asInt(), audit.toString());
        assertEquals(org.id(), audit.at("/items/0/organizationId").asText());
        assertEquals("wrong-example", audit.at("/items/0/after/definition/name").asText());

        String id = server.post(RULES, org.compliance(), bigPayments("kept")).json().get("id").asText();
        Map<String, Object> breaking = actionRule("kept", leaf("payload.amount", ">", 5000),
                requireApproval("changed"), List.of(actionExample("quiet", "ProcessPayment", 0.95, "payload",
                        Map.of("amount", 9000)), actionExample("fires", "ProcessPayment", 0.9, "payload",
                        Map.of("amount", 9000))));
        HttpResult refusedUpdate = server.put(RULES + "/" + id, org.compliance(), breaking);
        assertEquals(422, refusedUpdate.status(), refusedUpdate.body());
        assertEquals("examples[0]", refusedUpdate.json().at("/error/details/0/field").asText());
        JsonNode kept = server.get(RULES + "/" + id, org.compliance()).json();
        assertEquals(1, kept.get("version").asInt());
        assertEquals("payments above 5,000 need a human", kept.at("/then/requireApproval").asText());
        assertEquals(2, server.get("/api/audit?action=rules.custom_refused", org.compliance()).json().get("total").asInt());
    }

    @Test
    void server_owned_fields_in_a_body_are_ignored_so_a_fetched_rule_can_be_sent_back() {
        Org org = org("roundtrip");
        JsonNode created = server.post(RULES, org.compliance(), bigPayments("round-trip")).json();
        String id = created.get("id").asText();
        JsonNode fetched = server.get(RULES + "/" + id, org.compliance()).json();

        HttpResult resent = server.put(RULES + "/" + id, org.compliance(), fetched.toString());

        assertEquals(200, resent.status(), resent.body());
        assertEquals(2, resent.json().get("version").asInt());
        assertEquals("CUS-1", resent.json().get("ruleId").asText());
        assertNull(resent.json().get("drl"));
        assertFalse(server.get(RULES + "/" + id, org.compliance()).json().get("drl").asText().isBlank());
    }

    private static Object[] leaves(int count) {
        Object[] leaves = new Object[count];
        for (int i = 0; i < count; i++) {
            leaves[i] = leaf("actionType", "==", "Type" + i);
        }
        return leaves;
    }
}
