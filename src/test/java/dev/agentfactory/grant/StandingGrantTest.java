package dev.agentfactory.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Approve "and allow the same action type for this contact (or agent) for N hours, up to M times". */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandingGrantTest {
    private TestServer server;
    private String pm;
    private String approver;
    private String admin;

    @BeforeAll
    void start() {
        server = TestServer.start("grants");
        String org = server.organization("granting");
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

    private JsonNode propose(String[] agent, String contact, boolean userWantsApproval) {
        return Agents.propose(server, agent[1], agent[0], Map.of("actionType", "GenerateRecommendation",
                "confidence", 0.9, "contactId", contact,
                "userOverrides", userWantsApproval ? Map.of("requireApproval", true) : Map.of()));
    }

    private HttpResult approveWithGrant(JsonNode decision, String scope, int hours, int maxUses) {
        return server.post("/api/approvals/" + decision.get("approvalId").asText() + "/approve", approver,
                Map.of("grant", Map.of("scope", scope, "hours", hours, "maxUses", maxUses)));
    }

    /** Grants an agent its first approval with these terms; returns the grant. */
    private JsonNode granted(String[] agent, String scope, int maxUses) {
        HttpResult approved = approveWithGrant(propose(agent, "c-1", false), scope, 2, maxUses);
        assertEquals(200, approved.status(), approved.body());
        JsonNode grants = server.get("/api/grants?agentId=" + agent[0], approver).json().get("items");
        assertEquals(1, grants.size(), grants.toString());
        return grants.get(0);
    }

    @Test
    void a_contact_grant_executes_later_matching_proposals_naming_the_grant_until_its_uses_run_out() {
        String[] agent = agent("Contact grant");
        JsonNode grant = granted(agent, "contact", 2);

        JsonNode first = propose(agent, "c-1", false);
        JsonNode otherContact = propose(agent, "c-2", false);
        JsonNode second = propose(agent, "c-1", false);
        JsonNode third = propose(agent, "c-1", false);

        assertEquals("EXECUTE", first.get("decision").asText(), first.toString());
        assertTrue(first.get("reasons").get(0).asText().contains("standing grant " + grant.get("id").asText()),
                first.toString());
        assertTrue(first.get("reasons").get(0).asText().contains("avery"));
        assertEquals("REQUIRE_APPROVAL", otherContact.get("decision").asText(), "another contact is not covered");
        assertEquals("EXECUTE", second.get("decision").asText());
        assertEquals("REQUIRE_APPROVAL", third.get("decision").asText(), "two uses, then a human again");
        JsonNode after = server.get("/api/grants/" + grant.get("id").asText(), approver).json();
        assertEquals(2, after.get("uses").asInt());
        assertFalse(after.get("active").asBoolean());
        JsonNode audit = server.get("/api/audit?action=grant.created&entityId=" + grant.get("id").asText(), admin).json();
        assertEquals("avery", audit.at("/items/0/actor").asText(), audit.toString());
    }

    @Test
    void twenty_concurrent_proposals_use_a_five_use_grant_exactly_five_times() {
        String[] agent = agent("Racing grant");
        JsonNode grant = granted(agent, "agent", 5);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<JsonNode>> proposals = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String contact = "c-" + i;
            proposals.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return propose(agent, contact, false);
            }));
        }
        go.countDown();

        long executed = proposals.stream().map(CompletableFuture::join)
                .filter(d -> d.get("decision").asText().equals("EXECUTE")).count();
        assertEquals(5, executed);
        assertEquals(5, server.get("/api/grants/" + grant.get("id").asText(), approver).json().get("uses").asInt());
    }

    @Test
    void a_revoked_or_expired_grant_covers_nothing_and_revoking_is_audited_once() {
        String[] agent = agent("Revoked grant");
        JsonNode grant = granted(agent, "agent", 10);
        String id = grant.get("id").asText();

        HttpResult revoked = server.post("/api/grants/" + id + "/revoke", approver, "");
        assertEquals(200, revoked.status(), revoked.body());
        assertEquals("REQUIRE_APPROVAL", propose(agent, "c-1", false).get("decision").asText());
        assertEquals(409, server.post("/api/grants/" + id + "/revoke", approver, "").status());
        JsonNode audit = server.get("/api/audit?action=grant.revoked&entityId=" + id, admin).json();
        assertEquals(1, audit.get("items").size());
        assertEquals(0, server.get("/api/grants?agentId=" + agent[0], approver).json().get("items").size());
        assertEquals(1, server.get("/api/grants?status=all&agentId=" + agent[0], approver).json().get("items").size());

        String[] other = agent("Expired grant");
        JsonNode expiring = granted(other, "agent", 10);
        server.jdbi().useHandle(h -> h.execute("update standing_grants set expires_at = now() - interval '1 second'"
                + " where id = cast(? as uuid)", expiring.get("id").asText()));
        assertEquals("REQUIRE_APPROVAL", propose(other, "c-1", false).get("decision").asText());
    }

    @Test
    void a_hard_reason_is_never_granted_and_never_covered_by_a_grant() {
        String[] agent = agent("Hard reasons");
        JsonNode hard = propose(agent, "c-1", true);
        JsonNode request = server.get("/api/approvals/" + hard.get("approvalId").asText(), approver).json();
        assertTrue(request.get("grantable").isNull() || request.get("grantable").isMissingNode(), request.toString());

        HttpResult refused = approveWithGrant(hard, "agent", 1, 1);
        assertEquals(422, refused.status(), refused.body());
        assertEquals("not_grantable", refused.json().at("/error/code").asText());

        granted(agent, "agent", 10);
        assertEquals("REQUIRE_APPROVAL", propose(agent, "c-1", true).get("decision").asText(),
                "the user's request for a human is a hard reason no grant waives");
    }

    @Test
    void a_grant_beyond_what_the_routing_rules_allow_is_refused_naming_the_field() {
        String[] agent = agent("Too generous");
        JsonNode decision = propose(agent, "c-1", false);
        JsonNode request = server.get("/api/approvals/" + decision.get("approvalId").asText(), approver).json();
        assertEquals(168, request.at("/grantable/maxHours").asInt(), request.toString());

        HttpResult tooLong = approveWithGrant(decision, "contact", 1000, 1);
        assertEquals(400, tooLong.status(), tooLong.body());
        assertEquals("grant.hours", tooLong.errorFields().get(0));
        HttpResult badScope = approveWithGrant(decision, "everyone", 1, 1);
        assertEquals("grant.scope", badScope.errorFields().get(0));
    }
}
