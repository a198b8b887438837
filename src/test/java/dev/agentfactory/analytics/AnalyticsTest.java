package dev.agentfactory.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rules and approvals seen working, from stored rows: the same answers right after a restart. */
class AnalyticsTest {

    @Test
    void rule_and_approval_analytics_hold_after_a_restart_and_flag_a_fast_approval() {
        TestServer server = TestServer.start("analytics");
        try {
            String organization = server.defaultOrganizationId();
            String pm = server.token(organization, "pia", "PM");
            String id = Agents.createAndDeploy(server, pm, Blueprints.with(Blueprints.valid("Counted"), "actionConfig",
                    "allowedActionTypes", List.of("EscalateLead")));
            String token = Agents.agentToken(server, pm, id);
            Agents.propose(server, token, id, Map.of("actionType", "EscalateLead", "confidence", 0.95));
            JsonNode asked = Agents.propose(server, token, id, Map.of("actionType", "EscalateLead", "confidence", 0.65));
            assertEquals("REQUIRE_APPROVAL", asked.get("decision").asText());
            String approver = server.token(organization, "quick-quinn", "APPROVER");
            HttpResult approved = server.post("/api/approvals/" + asked.get("approvalId").asText() + "/approve",
                    approver, Map.of("comment", "fine"));
            assertEquals(200, approved.status(), approved.body());

            server = server.restart();
            String officer = server.token(organization, "olga", "COMPLIANCE");
            HttpResult rules = server.get("/api/analytics/rules?unit=hour", officer);
            assertEquals(200, rules.status(), rules.body());
            JsonNode report = rules.json();
            assertEquals(2, report.get("decisions").asInt(), report.toString());
            assertEquals(1, report.get("requireApprovalDecisions").asInt(), report.toString());
            assertTrue(Agents.texts(report.get("firedOnEvery")).contains("T2-002"), report.toString());
            assertTrue(Agents.texts(report.get("neverFired")).contains("T2-040"), report.toString());
            assertTrue(!Agents.texts(report.get("neverFired")).contains("T2-010"), report.toString());
            assertEquals("T2-010", report.get("requireApproval").get(0).get("ruleId").asText(), report.toString());
            assertEquals(1, report.get("overTime").size(), report.toString());

            HttpResult approvals = server.get("/api/analytics/approvals?fastSeconds=60", officer);
            assertEquals(200, approvals.status(), approvals.body());
            JsonNode quinn = approvals.json().get("approvers").get(0);
            assertEquals("quick-quinn", quinn.get("principal").asText(), approvals.body());
            assertEquals(1.0, quinn.get("approvalRate").asDouble());
            assertTrue(quinn.get("flagged").asBoolean(), approvals.body());
            assertEquals(1, approvals.json().get("fastApprovals").size(), approvals.body());
            JsonNode agent = approvals.json().get("agents").get(0);
            assertEquals(id, agent.get("agentId").asText());
            assertEquals(1.0, agent.get("approvalRate").asDouble());

            assertEquals(400, server.get("/api/analytics/rules?unit=year", officer).status());
            assertEquals(400, server.get("/api/analytics/approvals?fastSeconds=soon", officer).status());
        } finally {
            server.close();
        }
    }
}
