package dev.agentfactory.customrule;

import static dev.agentfactory.support.CustomRules.actionExample;
import static dev.agentfactory.support.CustomRules.actionRule;
import static dev.agentfactory.support.CustomRules.blueprintExample;
import static dev.agentfactory.support.CustomRules.blueprintRule;
import static dev.agentfactory.support.CustomRules.finding;
import static dev.agentfactory.support.CustomRules.leaf;
import static dev.agentfactory.support.CustomRules.requireApproval;
import static dev.agentfactory.support.CustomRules.risk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What custom rules do to decisions and validations: their own organization's only, and only ever stricter. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomRuleDecisionTest {
    private static final String RULES = "/api/validation/rules";

    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start("customruledecisions");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** An organization with a PM, a compliance officer and one deployed agent with its AGENT token. */
    private record Org(String id, String pm, String compliance, String agentId, String agent) {
    }

    private Org org(String name, Map<String, Object> blueprint) {
        String id = server.organization(name);
        String pm = server.token(id, "pat-" + name, "PM");
        String agentId = Agents.createAndDeploy(server, pm, blueprint);
        return new Org(id, pm, server.token(id, "cora-" + name, "COMPLIANCE"), agentId,
                Agents.agentToken(server, pm, agentId));
    }

    private Org org(String name) {
        return org(name, agent(name));
    }

    private static Map<String, Object> agent(String name) {
        Map<String, Object> blueprint = Blueprints.with(Blueprints.valid("Agent " + name), "actionConfig",
                "allowedActionTypes", List.of("GenerateRecommendation", "EscalateLead", "SendEmail"));
        return Blueprints.with(blueprint, "validationConfig", "minConfidenceThreshold", 0.5);
    }

    private JsonNode propose(Org org, String actionType, Object... more) {
        Map<String, Object> action = new java.util.HashMap<>(Map.of("actionType", actionType, "confidence", 0.95,
                "contactId", "c-1"));
        for (int i = 0; i + 1 < more.length; i += 2) {
            action.put((String) more[i], more[i + 1]);
        }
        return Agents.propose(server, org.agent(), org.agentId(), action);
    }

    private String create(Org org, Map<String, Object> rule) {
        HttpResult created = server.post(RULES, org.compliance(), rule);
        assertEquals(201, created.status(), created.body());
        return created.json().get("ruleId").asText();
    }

    private static List<String> texts(JsonNode array) {
        return Agents.texts(array);
    }

    private static boolean anyCustom(JsonNode rulesFired) {
        return texts(rulesFired).stream().anyMatch(id -> id.startsWith("CUS-"));
    }

    @Test
    void another_organizations_rules_never_change_a_decision_or_finding_but_its_own_do() {
        Org a = org("iso-a");
        Org b = org("iso-b");
        String everythingNeedsAHuman = create(b, actionRule("everything-needs-a-human", leaf("confidence", ">=", 0),
                requireApproval("B wants a human for everything"),
                List.of(actionExample("fires", "GenerateRecommendation", 0.9))));
        String everythingIsRisky = create(b, actionRule("everything-is-risky", leaf("confidence", ">=", 0),
                risk(1.0, "B finds everything risky"), List.of(actionExample("fires", "GenerateRecommendation", 0.9))));
        String noBlueprintPasses = create(b, blueprintRule("no-blueprint-passes", leaf("requiredApprovals", ">=", 0),
                finding("ERROR", "goal", "B refuses every blueprint"), List.of(blueprintExample("fires", Map.of()))));

        JsonNode aDecision = propose(a, "GenerateRecommendation");
        JsonNode bDecision = propose(b, "GenerateRecommendation");
        JsonNode aReport = server.post("/api/validation/agent", a.pm(), agent("iso-a")).json();
        JsonNode bReport = server.post("/api/validation/agent", b.pm(), agent("iso-b")).json();

        assertEquals("EXECUTE", aDecision.get("decision").asText(), aDecision.toString());
        assertEquals(0.1, aDecision.get("riskScore").asDouble(), 1e-9);
        assertFalse(anyCustom(aDecision.get("rulesFired")), aDecision.toString());
        assertFalse(aDecision.get("reasons").toString().contains("B "), aDecision.toString());
        assertTrue(aReport.get("valid").asBoolean(), aReport.toString());
        assertFalse(anyCustom(aReport.get("rulesFired")), aReport.toString());

        assertEquals("REQUIRE_APPROVAL", bDecision.get("decision").asText(), bDecision.toString());
        assertEquals(1.0, bDecision.get("riskScore").asDouble(), 1e-9);
        assertTrue(texts(bDecision.get("rulesFired")).containsAll(List.of(everythingNeedsAHuman, everythingIsRisky)),
                bDecision.toString());
        assertTrue(texts(bDecision.get("reasons")).contains("B wants a human for everything"), bDecision.toString());
        assertFalse(bReport.get("valid").asBoolean(), bReport.toString());
        assertTrue(texts(bReport.get("rulesFired")).contains(noBlueprintPasses));

        String aOwn = create(a, actionRule("recommendations-need-a-human", leaf("actionType", "==", "GenerateRecommendation"),
                requireApproval("A reviews its recommendations"),
                List.of(actionExample("fires", "GenerateRecommendation", 0.9), actionExample("quiet", "EscalateLead", 0.9))));
        JsonNode aAfter = propose(a, "GenerateRecommendation");
        assertEquals("REQUIRE_APPROVAL", aAfter.get("decision").asText(), aAfter.toString());
        assertTrue(texts(aAfter.get("rulesFired")).contains(aOwn));
        assertTrue(texts(aAfter.get("reasons")).contains("A reviews its recommendations"), aAfter.toString());
        assertFalse(aAfter.get("reasons").toString().contains("B wants"), aAfter.toString());
        assertFalse(propose(b, "GenerateRecommendation").get("reasons").toString().contains("A reviews"));
        assertEquals("EXECUTE", propose(a, "EscalateLead").get("decision").asText());
    }

    @Test
    void a_custom_rule_cannot_take_away_a_rejection_or_a_shared_approval_reason() {
        Org org = org("strict", Blueprints.with(agent("strict"), "actionConfig", "maxAllowedScope", "RealWorld"));
        String lowersNothing = create(org, actionRule("a-little-risk-on-everything", leaf("confidence", ">=", 0),
                risk(0.01, "a little risk"), List.of(actionExample("fires", "GenerateRecommendation", 0.9))));
        String asksForAHuman = create(org, actionRule("sms-needs-a-human", leaf("actionType", "==", "SendSMS"),
                requireApproval("SMS needs a human"), List.of(actionExample("fires", "SendSMS", 0.9))));

        JsonNode rejected = propose(org, "SendSMS");
        JsonNode realWorld = propose(org, "SendEmail");

        assertEquals("REJECT", rejected.get("decision").asText(), rejected.toString());
        assertTrue(texts(rejected.get("rulesFired")).containsAll(List.of("T1-002", lowersNothing, asksForAHuman)),
                rejected.toString());
        assertTrue(rejected.get("reasons").toString().contains("not in the agent's allowedActionTypes"), rejected.toString());
        assertFalse(rejected.has("approvalId"));
        assertEquals("REQUIRE_APPROVAL", realWorld.get("decision").asText(), realWorld.toString());
        assertTrue(texts(realWorld.get("rulesFired")).contains(lowersNothing));
        assertTrue(texts(realWorld.get("reasons")).contains("SendEmail acts in the real world"), realWorld.toString());
    }

    @Test
    void a_risk_outcome_raises_the_score_and_can_turn_execute_into_a_human_decision() {
        Org org = org("risky");
        assertEquals("EXECUTE", propose(org, "GenerateRecommendation").get("decision").asText());
        String ruleId = create(org, actionRule("recommendations-are-risky", leaf("actionType", "==", "GenerateRecommendation"),
                risk(0.7, "recommendations are risky here"), List.of(actionExample("fires", "GenerateRecommendation", 0.9),
                        actionExample("quiet", "EscalateLead", 0.9))));

        JsonNode decision = propose(org, "GenerateRecommendation");
        JsonNode other = propose(org, "EscalateLead");

        assertEquals("REQUIRE_APPROVAL", decision.get("decision").asText(), decision.toString());
        assertEquals(0.8, decision.get("riskScore").asDouble(), 1e-9);
        assertTrue(texts(decision.get("rulesFired")).contains(ruleId), decision.toString());
        assertTrue(texts(decision.get("reasons")).contains("recommendations are risky here (risk +0.7)"), decision.toString());
        assertTrue(decision.get("reasons").toString().contains("at or above the threshold"), decision.toString());
        assertTrue(decision.has("approvalId"));
        assertEquals("EXECUTE", other.get("decision").asText(), other.toString());
        assertFalse(anyCustom(other.get("rulesFired")));
    }

    @Test
    void require_approval_asks_a_human_even_under_never_ask() {
        Map<String, Object> neverAsk = Blueprints.with(Blueprints.with(Blueprints.valid("Never asks"), "actionConfig",
                "allowedActionTypes", List.of("GenerateRecommendation")), "actionConfig", "overrideMode", "NeverAsk");
        Org org = org("never", neverAsk);
        assertEquals("EXECUTE", propose(org, "GenerateRecommendation", "contactId", "vip-1").get("decision").asText());
        String ruleId = create(org, actionRule("vips-get-a-human", leaf("contactId", "in", List.of("vip-1", "vip-2")),
                requireApproval("VIP contacts get a human"),
                List.of(actionExample("fires", "GenerateRecommendation", 0.9, "contactId", "vip-2"),
                        actionExample("quiet", "GenerateRecommendation", 0.9, "contactId", "c-9"))));

        JsonNode vip = propose(org, "GenerateRecommendation", "contactId", "vip-1");
        JsonNode other = propose(org, "GenerateRecommendation", "contactId", "c-2");

        assertEquals("REQUIRE_APPROVAL", vip.get("decision").asText(), vip.toString());
        assertTrue(texts(vip.get("rulesFired")).contains(ruleId));
        assertTrue(texts(vip.get("reasons")).contains("VIP contacts get a human"), vip.toString());
        assertTrue(vip.has("approvalId"));
        JsonNode approval = server.get("/api/approvals/" + vip.get("approvalId").asText(),
                server.token(org.id(), "ada", "ADMIN")).json();
        assertTrue(approval.toString().contains("VIP contacts get a human"), approval.toString());
        assertEquals("EXECUTE", other.get("decision").asText(), other.toString());
    }

    @Test
    void blueprint_rules_add_findings_and_approval_needs_for_their_organization_only() {
        Org org = org("blueprints");
        Org other = org("blueprints-other");
        String frozen = create(org, blueprintRule("no-calling-agents", leaf("allowedActionTypes", "contains", "MakePhoneCall"),
                finding("ERROR", "actionConfig.allowedActionTypes", "calling agents are frozen this quarter"),
                List.of(blueprintExample("fires", Map.of("actionConfig", Map.of("allowedActionTypes", List.of("MakePhoneCall")))),
                        blueprintExample("quiet", Map.of()))));
        String financial = create(org, blueprintRule("financial-needs-sign-off", leaf("industryProfile", "==", "Financial"),
                requireApproval("financial agents need compliance sign-off"),
                List.of(blueprintExample("fires", Map.of("industryProfile", "Financial")))));
        Map<String, Object> caller = Blueprints.with(Blueprints.valid("Caller"), "actionConfig", "allowedActionTypes",
                List.of("MakePhoneCall"));
        Map<String, Object> finance = Blueprints.with(Blueprints.valid("Finance"), null, "industryProfile", "Financial");

        JsonNode callerReport = server.post("/api/validation/agent", org.pm(), caller).json();
        JsonNode otherReport = server.post("/api/validation/agent", other.pm(), caller).json();
        JsonNode financeReport = server.post("/api/validation/agent", org.pm(), finance).json();

        assertFalse(callerReport.get("valid").asBoolean(), callerReport.toString());
        JsonNode finding = null;
        for (JsonNode f : callerReport.get("findings")) {
            if (f.get("ruleId").asText().equals(frozen)) {
                finding = f;
            }
        }
        assertEquals("ERROR", finding.get("severity").asText(), callerReport.toString());
        assertEquals("custom", finding.get("category").asText());
        assertEquals("actionConfig.allowedActionTypes", finding.get("field").asText());
        assertEquals("calling agents are frozen this quarter", finding.get("message").asText());
        assertTrue(texts(callerReport.get("rulesFired")).contains(frozen));
        assertTrue(otherReport.get("valid").asBoolean(), otherReport.toString());
        assertFalse(anyCustom(otherReport.get("rulesFired")));

        assertTrue(financeReport.get("valid").asBoolean(), financeReport.toString());
        assertTrue(financeReport.get("requiresApproval").asBoolean(), financeReport.toString());
        assertTrue(texts(financeReport.get("approvalReasons")).contains("financial agents need compliance sign-off"));
        assertEquals("High", financeReport.get("riskLevel").asText(), "the shared risk rules see the custom need");
        assertTrue(texts(financeReport.get("rulesFired")).contains(financial));

        String callerId = Agents.create(server, org.pm(), caller);
        HttpResult deploy = server.post("/api/agents/" + callerId + "/deploy", org.pm(), "");
        assertEquals(422, deploy.status(), deploy.body());
        assertTrue(deploy.body().contains("calling agents are frozen this quarter"), deploy.body());
        String financeId = Agents.create(server, org.pm(), finance);
        HttpResult waits = server.post("/api/agents/" + financeId + "/deploy", org.pm(), "");
        assertEquals(202, waits.status(), waits.body());
        assertTrue(texts(waits.json().get("approvalReasons")).contains("financial agents need compliance sign-off"));
    }

    @Test
    void custom_rules_survive_a_restart() {
        Org org = org("restart");
        String ruleId = create(org, actionRule("escalations-need-a-human", leaf("actionType", "==", "EscalateLead"),
                requireApproval("escalations need a human"), List.of(actionExample("fires", "EscalateLead", 0.9))));

        server = server.restart();
        JsonNode decision = propose(org, "EscalateLead");

        assertEquals("REQUIRE_APPROVAL", decision.get("decision").asText(), decision.toString());
        assertTrue(texts(decision.get("rulesFired")).contains(ruleId), decision.toString());
        assertEquals(1, server.get(RULES, org.compliance()).json().get("customRules").size());
    }
}
