package dev.agentfactory.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Approvers work the queue: quorum, veto, no self-approval, no double votes, one transition per race, deadlines. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalQueueTest {
    private TestServer server;
    private String org;
    private String pm;
    private final List<String> approvers = new ArrayList<>();

    @BeforeAll
    void start() {
        server = TestServer.start("approvals");
        org = server.organization("approving");
        pm = server.token(org, "pam", "PM");
        for (int i = 0; i < 4; i++) {
            approvers.add(server.token(org, "approver-" + i, "APPROVER"));
        }
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** An agent whose every SendEmail waits for {@code quorum} approvers. */
    private String[] agent(String name, int quorum) {
        Map<String, Object> blueprint = Blueprints.with(Blueprints.valid(name), "actionConfig", "requiredApprovals", quorum);
        blueprint = Blueprints.with(blueprint, "actionConfig", "overrideMode", "AlwaysAsk");
        String id = Agents.createAndDeploy(server, pm, blueprint);
        return new String[] {id, Agents.agentToken(server, pm, id)};
    }

    /** Proposes an action that needs approval; returns {decisionId, approvalId}. */
    private String[] pending(String[] agent) {
        JsonNode decision = Agents.propose(server, agent[1], agent[0],
                Map.of("actionType", "GenerateRecommendation", "confidence", 0.9, "contactId", "c-1"));
        assertEquals("REQUIRE_APPROVAL", decision.get("decision").asText(), decision.toString());
        return new String[] {decision.get("decisionId").asText(), decision.get("approvalId").asText()};
    }

    private HttpResult vote(String token, String approvalId, boolean approve, String comment) {
        return server.post("/api/approvals/" + approvalId + (approve ? "/approve" : "/reject"), token,
                comment == null ? "" : Map.of("comment", comment));
    }

    private String decisionStatus(String[] agent, String decisionId) {
        return server.get("/api/agents/" + agent[0] + "/decisions/" + decisionId, agent[1]).json().get("status").asText();
    }

    @Test
    void a_quorum_of_one_is_decided_by_the_first_approval() {
        String[] agent = agent("Quorum one", 1);
        String[] request = pending(agent);

        HttpResult approved = vote(approvers.get(0), request[1], true, "fine");

        assertEquals(200, approved.status(), approved.body());
        assertEquals("approved", approved.json().get("status").asText());
        assertEquals("approver-0", approved.json().get("decidedBy").asText());
        assertEquals("APPROVED", decisionStatus(agent, request[0]));
    }

    @Test
    void a_quorum_of_three_needs_three_distinct_approvers() {
        String[] agent = agent("Quorum three", 3);
        String[] request = pending(agent);

        assertEquals("pending", vote(approvers.get(0), request[1], true, null).json().get("status").asText());
        assertEquals("pending", vote(approvers.get(1), request[1], true, null).json().get("status").asText());
        HttpResult again = vote(approvers.get(1), request[1], true, null);
        assertEquals(409, again.status(), "nobody votes twice");
        assertEquals("PENDING_APPROVAL", decisionStatus(agent, request[0]));
        JsonNode third = vote(approvers.get(2), request[1], true, null).json();

        assertEquals("approved", third.get("status").asText());
        assertEquals(3, third.get("approvals").asInt());
        assertEquals(3, third.get("votes").size());
        HttpResult late = vote(approvers.get(3), request[1], true, null);
        assertEquals(409, late.status());
        assertEquals("approved", late.json().at("/error/details/0/status").asText());
    }

    @Test
    void one_rejection_decides_and_needs_a_comment() {
        String[] agent = agent("Veto", 3);
        String[] request = pending(agent);
        vote(approvers.get(0), request[1], true, null);

        HttpResult noReason = vote(approvers.get(1), request[1], false, null);
        assertEquals(400, noReason.status());
        assertEquals("comment", noReason.errorFields().get(0));
        HttpResult rejected = vote(approvers.get(1), request[1], false, "the contact asked us to stop");

        assertEquals("rejected", rejected.json().get("status").asText());
        assertEquals("REJECTED", decisionStatus(agent, request[0]));
        assertEquals(409, vote(approvers.get(2), request[1], true, null).status());
    }

    @Test
    void whoever_raised_a_request_cannot_decide_it() {
        String admin = server.token(org, "ada", "ADMIN");
        String[] agent = agent("Self approval", 1);
        JsonNode decision = Agents.propose(server, admin, agent[0],
                Map.of("actionType", "GenerateRecommendation", "confidence", 0.9));
        String approvalId = decision.get("approvalId").asText();

        HttpResult self = vote(admin, approvalId, true, null);

        assertEquals(403, self.status(), self.body());
        assertTrue(self.body().contains("ada raised this request"), self.body());
        assertEquals(200, vote(approvers.get(0), approvalId, true, null).status());
        assertEquals(403, vote(pm, pending(agent)[1], true, null).status(), "a PM is not an approver");
    }

    @Test
    void two_approvers_racing_on_the_last_vote_make_exactly_one_transition() throws Exception {
        String[] agent = agent("Race", 2);
        for (int round = 0; round < 5; round++) {
            String[] request = pending(agent);
            vote(approvers.get(0), request[1], true, null);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResult>> votes = new ArrayList<>();
            for (String approver : List.of(approvers.get(1), approvers.get(2))) {
                votes.add(pool.submit(() -> {
                    go.await();
                    return vote(approver, request[1], true, null);
                }));
            }
            go.countDown();
            int ok = 0;
            int told = 0;
            for (Future<HttpResult> vote : votes) {
                HttpResult result = vote.get();
                if (result.status() == 200) {
                    ok++;
                    assertEquals("approved", result.json().get("status").asText());
                } else {
                    assertEquals(409, result.status(), result.body());
                    told++;
                }
            }
            pool.shutdown();
            assertEquals(1, ok);
            assertEquals(1, told);
            long transitions = server.jdbi().withHandle(h -> h.createQuery(
                    "select count(*) from audit_log where action = 'approval.approved' and entity_id = :id")
                    .bind("id", request[1]).mapTo(Long.class).one());
            long recorded = server.jdbi().withHandle(h -> h.createQuery(
                    "select count(*) from approval_votes where approval_id = cast(:id as uuid)")
                    .bind("id", request[1]).mapTo(Long.class).one());
            assertEquals(1, transitions);
            assertEquals(2, recorded, "the quorum's votes are recorded, the loser's is not");
        }
    }

    @Test
    void the_queue_lists_open_requests_by_priority_risk_and_age_with_filters() {
        String[] agent = agent("Listed", 1);
        String[] first = pending(agent);
        String[] second = pending(agent);
        String realWorld = Agents.createAndDeploy(server, pm, Blueprints.with(Blueprints.valid("Real"),
                "actionConfig", "allowedActionTypes", List.of("SendEmail")));
        String realToken = Agents.agentToken(server, pm, realWorld);
        JsonNode email = Agents.propose(server, realToken, realWorld, Map.of("actionType", "SendEmail", "confidence", 0.9));

        JsonNode queue = server.get("/api/approvals?status=pending&limit=100", approvers.get(3)).json();
        List<String> ids = new ArrayList<>();
        queue.get("items").forEach(item -> ids.add(item.get("id").asText()));
        assertTrue(ids.indexOf(email.get("approvalId").asText()) < ids.indexOf(first[1]), "RealWorld goes first");
        assertTrue(ids.indexOf(first[1]) < ids.indexOf(second[1]), "then the oldest");
        JsonNode item = queue.get("items").get(ids.indexOf(first[1]));
        assertEquals("ACTION", item.get("kind").asText());
        assertEquals("Listed", item.get("agentName").asText());
        assertEquals("GenerateRecommendation", item.at("/summary/actionType").asText());
        assertFalse(item.get("expiresAt").isNull());
        assertTrue(item.get("reasons").size() > 0);

        JsonNode filtered = server.get("/api/approvals?agentId=" + realWorld + "&actionType=SendEmail&kind=ACTION",
                approvers.get(3)).json();
        assertEquals(1, filtered.get("total").asInt());
        assertEquals(400, server.get("/api/approvals?status=sleeping", approvers.get(3)).status());
        assertEquals(400, server.get("/api/approvals?kind=COFFEE", approvers.get(3)).status());
        assertEquals(403, server.get("/api/approvals", pm).status());
    }

    @Test
    void a_deployment_that_needs_approval_waits_and_goes_live_once_approved() {
        Map<String, Object> realWorld = Blueprints.with(Blueprints.valid("Needs approval"), "actionConfig",
                "maxAllowedScope", "RealWorld");
        String id = Agents.create(server, pm, realWorld);

        HttpResult waiting = server.post("/api/agents/" + id + "/deploy", pm, "");

        assertEquals(202, waiting.status(), waiting.body());
        String approvalId = waiting.json().get("approvalId").asText();
        assertTrue(waiting.json().get("approvalReasons").toString().contains("RealWorld"));
        assertEquals(approvalId, server.post("/api/agents/" + id + "/deploy", pm, "").json().get("approvalId").asText(),
                "asking again finds the same request");
        assertFalse(server.get("/api/agents/" + id, pm).json().get("status").asText().equals("Active"));
        JsonNode request = server.get("/api/approvals/" + approvalId, approvers.get(0)).json();
        assertEquals("DEPLOYMENT", request.get("kind").asText());
        assertEquals("ADMIN", request.get("approverRole").asText(), "R-002 routes deployments to an admin");
        assertEquals(403, vote(approvers.get(0), approvalId, true, null).status(), "an APPROVER is not an ADMIN");

        String admin = server.token(org, "root-admin", "ADMIN");
        assertEquals("approved", vote(admin, approvalId, true, "reviewed").json().get("status").asText());

        JsonNode agent = server.get("/api/agents/" + id, pm).json();
        assertEquals("Active", agent.get("status").asText());
        JsonNode deployment = server.get("/api/agents/" + id + "/deployments", pm).json().at("/items/0");
        assertEquals("Succeeded", deployment.get("outcome").asText());
        assertEquals("pam", deployment.get("requestedBy").asText());
    }

    @Test
    void a_request_past_its_deadline_escalates_once_then_expires_and_its_action_never_runs() throws Exception {
        String[] agent = agent("Deadline", 1);
        String[] request = pending(agent);
        assertEquals("APPROVER", server.get("/api/approvals/" + request[1], approvers.get(0)).json()
                .get("approverRole").asText());

        expireNow(request[1]);
        JsonNode escalated = await(request[1], r -> r.get("escalated").asBoolean());
        assertEquals("ADMIN", escalated.get("approverRole").asText(), "R-007 escalates to an admin");
        assertEquals("pending", escalated.get("status").asText());
        assertEquals(403, vote(approvers.get(0), request[1], true, null).status(), "now only an admin decides");

        expireNow(request[1]);
        JsonNode expired = await(request[1], r -> r.get("status").asText().equals("expired"));
        assertEquals("system", expired.get("decidedBy").asText());
        assertEquals("EXPIRED", decisionStatus(agent, request[0]));
        String admin = server.token(org, "late-admin", "ADMIN");
        HttpResult late = vote(admin, request[1], true, null);
        assertEquals(409, late.status());
        assertEquals("expired", late.json().at("/error/details/0/status").asText());
    }

    @Test
    void another_organization_sees_nothing() {
        String[] agent = agent("Private queue", 1);
        String[] request = pending(agent);
        String outsiderOrg = server.organization("outside-approvers");
        String outsider = server.token(outsiderOrg, "olaf", "APPROVER");

        assertEquals(0, server.get("/api/approvals", outsider).json().get("total").asInt());
        assertEquals(404, server.get("/api/approvals/" + request[1], outsider).status());
        assertEquals(404, vote(outsider, request[1], true, null).status());
        assertEquals("pending", server.get("/api/approvals/" + request[1], approvers.get(0)).json().get("status").asText());
    }

    private void expireNow(String approvalId) {
        server.jdbi().useHandle(h -> h.execute("update approvals set expires_at = now() where id = cast(? as uuid)",
                approvalId));
    }

    private JsonNode await(String approvalId, java.util.function.Predicate<JsonNode> condition) throws Exception {
        String admin = server.token(org, "watcher", "ADMIN");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = server.get("/api/approvals/" + approvalId, admin).json();
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the request never changed as expected: " + last);
    }
}
