package dev.agentfactory.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Whoever deployed an agent, minted its token or raised the request does not vote on its
 * requests, whatever roles they hold; the routing rules can exclude more.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeparationOfDutiesTest {
    private TestServer server;
    private String org;
    private String pat;
    private String vera;
    private String ada;
    private String otto;

    @BeforeAll
    void start() {
        server = TestServer.start("separation");
        org = server.organization("separated");
        pat = server.token(org, "pat", "PM", "APPROVER");
        vera = server.token(org, "vera", "APPROVER");
        ada = server.token(org, "ada", "ADMIN");
        otto = server.token(org, "otto", "ADMIN");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static Map<String, Object> asksAlways(String name) {
        return Blueprints.with(Blueprints.valid(name), "actionConfig", "overrideMode", "AlwaysAsk");
    }

    /** Asks always, and its deployment needs an admin's approval (BP-SEC-001). */
    private static Map<String, Object> realWorld(String name) {
        return Blueprints.with(asksAlways(name), "actionConfig", "maxAllowedScope", "RealWorld");
    }

    private String agentToken(String minter, String agentId) {
        HttpResult minted = server.post("/api/tokens", minter, Map.of("roles", List.of("AGENT"), "agentId", agentId));
        assertEquals(201, minted.status(), minted.body());
        return minted.json().get("token").asText();
    }

    /** An action of the agent that waits for a human; returns its approval id. */
    private String pendingAction(String agentToken, String agentId) {
        JsonNode decision = Agents.propose(server, agentToken, agentId,
                Map.of("actionType", "GenerateRecommendation", "confidence", 0.9, "contactId", "c-1"));
        assertEquals("REQUIRE_APPROVAL", decision.get("decision").asText(), decision.toString());
        return decision.get("approvalId").asText();
    }

    private HttpResult approve(String token, String approvalId) {
        return server.post("/api/approvals/" + approvalId + "/approve", token, Map.of("comment", "looks right"));
    }

    private long written(String approvalId) {
        return server.jdbi().withHandle(h -> h.createQuery("""
                select (select count(*) from approval_votes where approval_id = :id)
                     + (select count(*) from audit_log where entity_id = :text and action <> 'approval.requested')
                """).bind("id", UUID.fromString(approvalId)).bind("text", approvalId).mapTo(Long.class).one());
    }

    /** The refusal is a 403 saying why, and leaves no vote and no audit entry behind. */
    private void assertRefused(String token, String approvalId, String why) {
        long before = written(approvalId);
        HttpResult refused = approve(token, approvalId);
        assertEquals(403, refused.status(), refused.body());
        assertEquals("forbidden", refused.json().at("/error/code").asText());
        assertTrue(refused.json().at("/error/message").asText().contains(why), refused.body());
        assertEquals(before, written(approvalId), "nothing written on refusal");
        assertEquals("pending", server.get("/api/approvals/" + approvalId, vera).json().get("status").asText());
    }

    private static List<String> excluded(JsonNode view) {
        List<String> excluded = new ArrayList<>();
        view.get("excludedVoters").forEach(e -> excluded.add(e.get("principal").asText() + ": "
                + e.get("reason").asText() + (e.get("ruleId").isNull() ? "" : " (" + e.get("ruleId").asText() + ")")));
        return excluded;
    }

    @Test
    void the_pm_who_deployed_an_agent_cannot_approve_its_actions_even_as_an_approver() {
        String agentId = Agents.createAndDeploy(server, pat, asksAlways("Deployed by pat"));
        String approvalId = pendingAction(agentToken(otto, agentId), agentId);

        assertRefused(pat, approvalId, "pat deployed or rolled back this agent");
        JsonNode view = server.get("/api/approvals/" + approvalId, vera).json();
        assertTrue(excluded(view).contains("pat: deployed or rolled back this agent"), excluded(view).toString());
        HttpResult byAnother = approve(vera, approvalId);
        assertEquals(200, byAnother.status(), byAnother.body());
        assertEquals("approved", byAnother.json().get("status").asText());
    }

    @Test
    void a_barred_voter_who_edits_the_payload_is_refused_before_the_edit_is_re_checked() {
        String agentId = Agents.createAndDeploy(server, pat, asksAlways("Edited by pat"));
        String approvalId = pendingAction(agentToken(otto, agentId), agentId);
        HttpResult paused = server.post("/api/agents/" + agentId + "/pause", pat, "");
        assertTrue(paused.status() < 300, paused.body());
        long before = written(approvalId);

        // the live rules refuse any edit of a paused agent's action: a voter who may not vote is told that first
        HttpResult refused = server.post("/api/approvals/" + approvalId + "/approve", pat,
                Map.of("comment", "tweaked", "payload", Map.of("discount", 5)));

        assertEquals(403, refused.status(), refused.body());
        assertTrue(refused.json().at("/error/message").asText().contains("pat deployed or rolled back this agent"),
                refused.body());
        assertEquals(before, written(approvalId), "nothing written on refusal");
    }

    @Test
    void an_admin_who_deployed_an_agent_votes_neither_on_its_actions_nor_on_its_deployments() {
        String agentId = Agents.create(server, pat, realWorld("Deployed by ada"));
        HttpResult first = server.post("/api/agents/" + agentId + "/deploy", ada, "");
        assertEquals(202, first.status(), first.body());
        assertEquals(200, approve(otto, first.json().get("approvalId").asText()).status());
        String action = pendingAction(agentToken(ada, agentId), agentId);
        HttpResult edited = server.put("/api/agents/" + agentId, pat, Blueprints.with(realWorld("Deployed by ada"),
                null, "goal", "Book a viewing with every qualified lead within an hour"));
        assertEquals(200, edited.status(), edited.body());
        HttpResult redeploy = server.post("/api/agents/" + agentId + "/deploy", pat, "");
        assertEquals(202, redeploy.status(), redeploy.body());
        String deployment = redeploy.json().get("approvalId").asText();

        assertRefused(ada, action, "ada deployed or rolled back this agent");
        assertRefused(ada, deployment, "ada deployed or rolled back this agent");
        assertTrue(excluded(server.get("/api/approvals/" + deployment, otto).json())
                .contains("ada: deployed or rolled back this agent"));
        HttpResult approved = approve(otto, deployment);
        assertEquals(200, approved.status(), approved.body());
        assertEquals(2, server.get("/api/agents/" + agentId, pat).json().get("version").asInt());
        assertEquals("Active", server.get("/api/agents/" + agentId, pat).json().get("status").asText());
    }

    @Test
    void whoever_minted_the_agents_token_holds_its_secret_and_cannot_vote() {
        String agentId = Agents.createAndDeploy(server, pat, asksAlways("Token by otto"));
        String approvalId = pendingAction(agentToken(otto, agentId), agentId);

        assertRefused(otto, approvalId, "otto minted a token for this agent");
        assertEquals(200, approve(ada, approvalId).status(), "an admin with no part in the agent decides");
    }

    @Test
    void a_routing_rule_exclusion_holds_the_last_editor_does_not_approve_the_deployment() {
        String agentId = Agents.create(server, pat, realWorld("Edited by ada"));
        HttpResult edited = server.put("/api/agents/" + agentId, ada, Blueprints.with(realWorld("Edited by ada"),
                null, "goal", "Book a viewing with every lead"));
        assertEquals(200, edited.status(), edited.body());
        HttpResult deploy = server.post("/api/agents/" + agentId + "/deploy", pat, "");
        assertEquals(202, deploy.status(), deploy.body());
        String approvalId = deploy.json().get("approvalId").asText();

        JsonNode view = server.get("/api/approvals/" + approvalId, otto).json();
        assertEquals(List.of("pat: raised this request", "ada: wrote the blueprint version to be deployed (R-008)"),
                excluded(view));
        assertTrue(view.get("rulesFired").toString().contains("R-008"), view.toString());
        assertRefused(ada, approvalId, "ada wrote the blueprint version to be deployed (R-008)");
        assertEquals(200, approve(otto, approvalId).status());
    }

    @Test
    void the_queue_lists_who_may_not_vote_on_each_request() {
        String agentId = Agents.createAndDeploy(server, pat, asksAlways("Listed"));
        String agent = agentToken(otto, agentId);
        pendingAction(agent, agentId);
        String agentPrincipal = server.get("/api/me", agent).json().get("principal").asText();

        JsonNode items = server.get("/api/approvals?agentId=" + agentId, vera).json().get("items");

        assertEquals(1, items.size());
        assertEquals(List.of(agentPrincipal + ": raised this request", agentPrincipal + ": acts as this agent",
                "pat: deployed or rolled back this agent", "otto: minted a token for this agent, so holds its secret"),
                excluded(items.get(0)));
    }

    @Test
    void another_organizations_approver_does_not_see_the_request() {
        String agentId = Agents.createAndDeploy(server, pat, asksAlways("Private"));
        String approvalId = pendingAction(agentToken(otto, agentId), agentId);
        String outsider = server.token(server.organization("elsewhere"), "vera", "APPROVER");

        assertEquals(404, approve(outsider, approvalId).status());
        assertEquals(404, server.get("/api/approvals/" + approvalId, outsider).status());
        assertEquals(0, written(approvalId));
    }
}
