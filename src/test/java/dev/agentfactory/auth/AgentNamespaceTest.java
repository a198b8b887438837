package dev.agentfactory.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** AGENT principals live in their own namespace, {@code agent:<name>}, and cannot take a person's name. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentNamespaceTest {
    private TestServer server;
    private String org;
    private String pm;
    private String agentId;

    @BeforeAll
    void start() {
        server = TestServer.start("agent-namespace");
        org = server.organization("namespaces");
        pm = server.token(org, "pat", "PM");
        agentId = Agents.createAndDeploy(server, pm, Blueprints.with(Blueprints.valid("Asks always"), "actionConfig",
                "overrideMode", "AlwaysAsk"));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private HttpResult mint(Map<String, Object> body) {
        return server.post("/api/tokens", TestServer.ADMIN_TOKEN, body);
    }

    private long tokens() {
        return server.jdbi().withHandle(h -> h.createQuery("select count(*) from api_tokens").mapTo(Long.class).one());
    }

    @Test
    void an_agent_named_like_a_person_is_agent_colon_that_name_and_the_person_still_approves_its_requests() {
        HttpResult minted = server.post("/api/tokens", pm, Map.of("principal", "bob", "roles", List.of("AGENT"),
                "agentId", agentId));
        assertEquals(201, minted.status(), minted.body());
        assertEquals("agent:bob", minted.json().get("principal").asText());
        String agent = minted.json().get("token").asText();
        JsonNode me = server.get("/api/me", agent).json();
        assertEquals("agent:bob", me.get("principal").asText());
        assertEquals(agentId, me.get("agentId").asText());

        JsonNode decision = Agents.propose(server, agent, agentId,
                Map.of("actionType", "GenerateRecommendation", "confidence", 0.9, "contactId", "c-1"));
        String approvalId = decision.get("approvalId").asText();
        String auditor = server.token(org, "carl", "COMPLIANCE");
        JsonNode made = server.get("/api/audit?entityId=" + decision.get("decisionId").asText(), auditor).json();
        assertEquals("agent:bob", made.at("/items/0/actor").asText(), made.toString());
        assertEquals("agent:bob", server.get("/api/audit?entityId=" + approvalId, auditor).json()
                .at("/items/0/actor").asText());

        String bob = server.token(org, "bob", "APPROVER");
        HttpResult approved = server.post("/api/approvals/" + approvalId + "/approve", bob, "");

        assertEquals(200, approved.status(), "the person bob is not the agent that raised it: " + approved.body());
        assertEquals("approved", approved.json().get("status").asText());
        assertEquals("agent:bob", approved.json().get("requestedBy").asText());
    }

    @Test
    void the_prefix_is_optional_and_an_unnamed_agent_is_named_after_its_id() {
        HttpResult prefixed = mint(Map.of("principal", "agent:lead-bot", "organizationId", org, "roles", List.of("AGENT"),
                "agentId", agentId));
        HttpResult unnamed = mint(Map.of("organizationId", org, "roles", List.of("AGENT"), "agentId", agentId));

        assertEquals("agent:lead-bot", prefixed.json().get("principal").asText(), prefixed.body());
        assertEquals("agent:" + agentId.substring(0, 8), unnamed.json().get("principal").asText(), unnamed.body());
    }

    @Test
    void a_person_cannot_take_an_agent_name_nor_a_reserved_one() {
        long before = tokens();
        for (String name : List.of("agent:bob", "bob:smith", "system", "admin", "Admin", "SYSTEM")) {
            HttpResult minted = mint(Map.of("principal", name, "organizationId", org, "roles", List.of("APPROVER")));
            assertEquals(400, minted.status(), name + ": " + minted.body());
            assertEquals(List.of("principal"), minted.errorFields(), minted.body());
        }
        assertTrue(mint(Map.of("principal", "system", "organizationId", org, "roles", List.of("ADMIN")))
                .json().at("/error/message").asText().contains("reserved"));
        assertEquals(before, tokens(), "nothing stored");
    }

    @Test
    void agent_mixed_with_other_roles_or_bound_to_no_agent_is_a_400() {
        long before = tokens();
        HttpResult mixed = mint(Map.of("principal", "bob", "organizationId", org, "roles", List.of("AGENT", "APPROVER"),
                "agentId", agentId));
        HttpResult unbound = mint(Map.of("principal", "robot", "organizationId", org, "roles", List.of("AGENT")));
        HttpResult personBound = mint(Map.of("principal", "pete", "organizationId", org, "roles", List.of("PM"),
                "agentId", agentId));
        HttpResult emptyName = mint(Map.of("principal", "agent:", "organizationId", org, "roles", List.of("AGENT"),
                "agentId", agentId));
        HttpResult badName = mint(Map.of("principal", "agent:two words", "organizationId", org,
                "roles", List.of("AGENT"), "agentId", agentId));

        assertEquals(400, mixed.status());
        assertEquals(List.of("roles"), mixed.errorFields(), mixed.body());
        assertEquals(List.of("agentId"), unbound.errorFields(), unbound.body());
        assertEquals(List.of("agentId"), personBound.errorFields(), personBound.body());
        assertEquals(List.of("principal"), emptyName.errorFields(), emptyName.body());
        assertEquals(List.of("principal"), badName.errorFields(), badName.body());
        assertEquals(before, tokens(), "nothing stored");
    }

    @Test
    void the_database_refuses_an_agent_token_outside_the_namespace_whoever_writes_it() {
        String insert = """
                insert into api_tokens (organization_id, principal, roles, agent_id, token_hash, created_by)
                values (cast(:org as uuid), :principal, cast(:roles as text[]), cast(:agent as uuid), md5(random()::text), 'x')
                """;
        for (List<String> row : List.of(List.of("bob", "{AGENT}", agentId), List.of("agent:bob", "{AGENT,PM}", agentId),
                List.of("agent:bob", "{AGENT}", ""), List.of("agent:bob", "{APPROVER}", ""))) {
            assertThrows(UnableToExecuteStatementException.class, () -> server.jdbi().useHandle(h -> h.createUpdate(insert)
                    .bind("org", org).bind("principal", row.get(0)).bind("roles", row.get(1))
                    .bind("agent", row.get(2).isEmpty() ? null : row.get(2)).execute()), row.toString());
        }
    }
}
