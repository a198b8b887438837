package dev.agentfactory.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** An approver changes an action's payload and approves the changed action: re-checked, kept beside the proposal, audited. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EditThenApproveTest {
    private TestServer server;
    private String pm;
    private String approver;
    private String admin;

    @BeforeAll
    void start() {
        server = TestServer.start("edits");
        String org = server.organization("editing");
        pm = server.token(org, "pam", "PM");
        approver = server.token(org, "avery", "APPROVER");
        admin = server.token(org, "ada", "ADMIN");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String[] agent(String name) {
        String id = Agents.createAndDeploy(server, pm, Blueprints.with(Blueprints.valid(name), "actionConfig",
                "overrideMode", "AlwaysAsk"));
        return new String[] {id, Agents.agentToken(server, pm, id)};
    }

    private JsonNode pending(String[] agent, Map<String, Object> payload) {
        return Agents.propose(server, agent[1], agent[0], Map.of("actionType", "GenerateRecommendation",
                "confidence", 0.9, "contactId", "c-9", "payload", payload));
    }

    @Test
    void an_edited_approval_keeps_both_versions_is_audited_and_binds_the_digest_to_the_approved_payload() {
        String[] agent = agent("Edited");
        JsonNode decision = pending(agent, Map.of("discount", 20, "amount", 900));
        String approvalId = decision.get("approvalId").asText();

        HttpResult approved = server.post("/api/approvals/" + approvalId + "/approve", approver,
                Map.of("comment", "5% is our limit", "payload", Map.of("discount", 5, "amount", 5000)));

        assertEquals(200, approved.status(), approved.body());
        assertEquals("approved", approved.json().get("status").asText());
        assertEquals(5, approved.json().at("/votes/0/payload/discount").asInt());
        String decisionPath = "/api/agents/" + agent[0] + "/decisions/" + decision.get("decisionId").asText();
        JsonNode stored = server.get(decisionPath, agent[1]).json();
        assertEquals("APPROVED", stored.get("status").asText());
        assertEquals(20, stored.at("/input/payload/discount").asInt(), "the proposal is kept");
        assertEquals(5, stored.at("/approvedInput/payload/discount").asInt(), "beside the approved version");
        assertEquals("c-9", stored.at("/approvedInput/contactId").asText());
        JsonNode audit = server.get("/api/audit?entityId=" + approvalId + "&action=approval.edited", admin).json();
        JsonNode edit = audit.get("items").get(0);
        assertEquals(20, edit.at("/before/payload/discount").asInt(), edit.toString());
        assertEquals(5, edit.at("/after/payload/discount").asInt(), edit.toString());
        assertTrue(edit.at("/after/recheck/reasons").toString().contains("5000"),
                "the re-check ran on the edited payload: " + edit);

        HttpResult asProposed = server.post(decisionPath + "/executed", agent[1],
                Map.of("contactId", "c-9", "payload", Map.of("discount", 20, "amount", 900)));
        assertEquals("mismatch", asProposed.json().get("outcome").asText(), "the proposal is not what was approved");
        HttpResult asApproved = server.post(decisionPath + "/executed", agent[1],
                Map.of("contactId", "c-9", "payload", Map.of("discount", 5, "amount", 5000)));
        assertEquals("match", asApproved.json().get("outcome").asText(), asApproved.body());
        assertEquals(stored.get("argumentsDigest").asText(), asApproved.json().get("expectedDigest").asText());
    }

    @Test
    void an_edit_the_live_rules_refuse_is_refused_and_the_request_stays_pending() {
        String[] agent = agent("Refused edit");
        JsonNode decision = pending(agent, Map.of("discount", 20));
        String approvalId = decision.get("approvalId").asText();
        HttpResult paused = server.post("/api/agents/" + agent[0] + "/pause", pm, "");
        assertTrue(paused.status() < 300, paused.body());

        HttpResult refused = server.post("/api/approvals/" + approvalId + "/approve", approver,
                Map.of("payload", Map.of("discount", 5)));

        assertEquals(422, refused.status(), refused.body());
        assertEquals("edit_refused", refused.json().at("/error/code").asText());
        JsonNode request = server.get("/api/approvals/" + approvalId, approver).json();
        assertEquals("pending", request.get("status").asText());
        assertEquals(0, request.get("votes").size());
    }

    @Test
    void a_payload_that_is_not_an_object_is_refused_naming_the_field() {
        String[] agent = agent("Bad edit");
        JsonNode decision = pending(agent, Map.of());
        HttpResult notObject = server.post("/api/approvals/" + decision.get("approvalId").asText() + "/approve",
                approver, Map.of("payload", "five"));
        assertEquals(400, notObject.status(), notObject.body());
        assertEquals("payload", notObject.errorFields().get(0));
    }
}
