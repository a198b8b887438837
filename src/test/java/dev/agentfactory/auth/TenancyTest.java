package dev.agentfactory.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Tenants stay apart: the bootstrap admin is the system administrator (organizations and tokens
 * anywhere, metrics); an ADMIN minted for an organization manages that organization only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenancyTest {
    private TestServer server;
    private Path rules;
    private String orgA;
    private String orgB;
    private String adminA;
    private String pmA;
    private String pmB;
    private String agentB;

    @BeforeAll
    void start() {
        rules = RulesFolder.copyOfShipped();
        server = TestServer.start("tenancy", c -> c.withRulesDir(rules));
        orgA = server.organization("acme");
        orgB = server.organization("globex");
        adminA = server.token(orgA, "alice", "ADMIN");
        pmA = server.token(orgA, "anna", "PM");
        pmB = server.token(orgB, "bert", "PM");
        agentB = Agents.create(server, pmB, Blueprints.valid("Globex agent"));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private long count(String sql, String organizationId) {
        return server.jdbi().withHandle(h -> h.createQuery(sql).bind("org", java.util.UUID.fromString(organizationId))
                .mapTo(Long.class).one());
    }

    private long tokensOf(String organizationId) {
        return count("select count(*) from api_tokens where organization_id = :org", organizationId);
    }

    private long auditOf(String organizationId) {
        return count("select count(*) from audit_log where organization_id = :org", organizationId);
    }

    private static void assertForbidden(HttpResult result, String messagePart) {
        assertEquals(403, result.status(), result.body());
        assertEquals("forbidden", result.json().at("/error/code").asText(), result.body());
        assertTrue(result.json().at("/error/message").asText().contains(messagePart), result.body());
    }

    @Test
    void an_organization_admin_cannot_create_an_organization() {
        HttpResult created = server.post("/api/organizations", adminA, Map.of("name", "rogue"));

        assertForbidden(created, "system administrator");
        long rogue = server.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from organizations where name = 'rogue'").mapTo(Long.class).one());
        assertEquals(0, rogue);
    }

    @Test
    void an_organization_admin_sees_only_its_own_organization() {
        JsonNode listed = server.get("/api/organizations", adminA).json().get("items");

        assertEquals(1, listed.size(), listed.toString());
        assertEquals(orgA, listed.get(0).get("id").asText());
        JsonNode all = server.get("/api/organizations", TestServer.ADMIN_TOKEN).json().get("items");
        assertTrue(all.toString().contains(orgB) && all.toString().contains("default"), all.toString());
    }

    @Test
    void an_organization_admin_cannot_list_another_organizations_tokens() {
        HttpResult other = server.get("/api/tokens?organizationId=" + orgB, adminA);

        assertForbidden(other, "is not yours");
        assertEquals(List.of("organizationId"), other.errorFields());
        JsonNode own = server.get("/api/tokens?limit=100", adminA).json();
        assertTrue(own.get("total").asInt() >= 2, own.toString());
        own.get("items").forEach(t -> assertEquals(orgA, t.get("organizationId").asText(), t.toString()));
    }

    @Test
    void an_organization_admin_cannot_mint_any_token_in_another_organization() {
        long tokens = tokensOf(orgB);
        long audit = auditOf(orgB);
        List<Map<String, Object>> attempts = List.of(
                Map.of("principal", "admin", "organizationId", orgB, "roles", List.of("ADMIN")),
                Map.of("principal", "mallory", "organizationId", orgB, "roles", List.of("ADMIN")),
                Map.of("principal", "mallory", "organizationId", orgB, "roles", List.of("PM")),
                Map.of("organizationId", orgB, "roles", List.of("AGENT"), "agentId", agentB));

        for (Map<String, Object> attempt : attempts) {
            HttpResult minted = server.post("/api/tokens", adminA, attempt);
            assertForbidden(minted, "organization " + orgB + " is not yours");
            assertEquals(List.of("organizationId"), minted.errorFields());
        }
        assertEquals(tokens, tokensOf(orgB), "nothing written on refusal");
        assertEquals(audit, auditOf(orgB));
    }

    @Test
    void an_organization_admin_cannot_revoke_another_organizations_token() {
        HttpResult issued = server.post("/api/tokens", TestServer.ADMIN_TOKEN,
                Map.of("principal", "bianca", "organizationId", orgB, "roles", List.of("APPROVER")));
        String id = issued.json().get("id").asText();

        HttpResult revoked = server.delete("/api/tokens/" + id, adminA);

        assertEquals(404, revoked.status(), revoked.body());
        assertEquals("not_found", revoked.json().at("/error/code").asText());
        assertEquals(200, server.get("/api/me", issued.json().get("token").asText()).status());
        assertNull(server.jdbi().withHandle(h -> h.createQuery("select revoked_by from api_tokens where id = cast(:id as uuid)")
                .bind("id", id).mapTo(String.class).one()));
    }

    @Test
    void an_organization_admin_manages_the_tokens_of_its_own_organization() {
        String agentA = Agents.create(server, pmA, Blueprints.valid("Acme agent"));
        HttpResult pm = server.post("/api/tokens", adminA, Map.of("principal", "paul", "roles", List.of("PM")));
        HttpResult admin = server.post("/api/tokens", adminA, Map.of("principal", "alicia", "roles", List.of("ADMIN"),
                "organizationId", orgA));
        HttpResult agent = server.post("/api/tokens", adminA, Map.of("roles", List.of("AGENT"), "agentId", agentA));

        for (HttpResult minted : List.of(pm, admin, agent)) {
            assertEquals(201, minted.status(), minted.body());
            assertEquals(orgA, minted.json().get("organizationId").asText());
        }
        JsonNode me = server.get("/api/me", admin.json().get("token").asText()).json();
        assertFalse(me.get("systemAdmin").asBoolean(), "an ADMIN minted for an organization is not a system admin");
        String listed = server.get("/api/tokens?limit=100", adminA).body();
        assertTrue(listed.contains(pm.json().get("id").asText()) && listed.contains(agent.json().get("id").asText()));

        assertEquals(204, server.delete("/api/tokens/" + pm.json().get("id").asText(), adminA).status());
        assertEquals(401, server.get("/api/me", pm.json().get("token").asText()).status());
        HttpResult otherAdminMintsOutside = server.post("/api/organizations", admin.json().get("token").asText(),
                Map.of("name", "still-rogue"));
        assertEquals(403, otherAdminMintsOutside.status());
    }

    @Test
    void the_system_administrator_manages_tokens_and_organizations_anywhere() {
        JsonNode me = server.get("/api/me", TestServer.ADMIN_TOKEN).json();
        assertTrue(me.get("systemAdmin").asBoolean(), me.toString());
        String orgC = server.organization("initrode");

        HttpResult minted = server.post("/api/tokens", TestServer.ADMIN_TOKEN,
                Map.of("principal", "carla", "organizationId", orgC, "roles", List.of("ADMIN")));
        assertEquals(201, minted.status(), minted.body());
        HttpResult agent = server.post("/api/tokens", TestServer.ADMIN_TOKEN,
                Map.of("organizationId", orgB, "roles", List.of("AGENT"), "agentId", agentB));
        assertEquals(201, agent.status(), agent.body());
        assertEquals(200, server.get("/api/tokens?organizationId=" + orgB, TestServer.ADMIN_TOKEN).status());
        String all = server.get("/api/tokens?limit=100", TestServer.ADMIN_TOKEN).body();
        assertTrue(all.contains(orgA) && all.contains(orgB) && all.contains(orgC));
        assertEquals(204, server.delete("/api/tokens/" + minted.json().get("id").asText(), TestServer.ADMIN_TOKEN).status());

        JsonNode audit = server.get("/api/audit?action=token.created&limit=100",
                server.token(orgC, "cato", "COMPLIANCE")).json();
        assertTrue(audit.toString().contains("carla"), "a token minted in an organization is audited there");
        assertEquals("admin", audit.get("items").get(audit.get("items").size() - 1).get("actor").asText());
    }

    @Test
    void only_the_system_administrator_revokes_the_bootstrap_token() {
        String bootstrapId = server.get("/api/me", TestServer.ADMIN_TOKEN).json().get("tokenId").asText();
        String defaultAdmin = server.token(server.defaultOrganizationId(), "dora", "ADMIN");

        HttpResult revoked = server.delete("/api/tokens/" + bootstrapId, defaultAdmin);

        assertForbidden(revoked, "bootstrap");
        assertEquals(200, server.get("/api/me", TestServer.ADMIN_TOKEN).status());
    }

    @Test
    void the_metrics_span_organizations_so_an_organization_admin_may_not_read_them() {
        assertForbidden(server.get("/metrics", adminA), "system administrator");
        assertEquals(200, server.get("/metrics", TestServer.ADMIN_TOKEN).status());
    }

    @Test
    void another_organizations_admin_cannot_replay_an_agents_idempotency_key() {
        String agentA = Agents.createAndDeploy(server, pmA, Blueprints.valid("Replayed"));
        Map<String, Object> body = Map.of("actions", List.of(Map.of("actionType", "GenerateRecommendation",
                "confidence", 0.9, "contactId", "c-secret")));
        HttpResult first = server.send("POST", "/api/agents/" + agentA + "/actions",
                Agents.agentToken(server, pmA, agentA), body, Map.of("Idempotency-Key", "shared-key"));
        assertEquals(200, first.status(), first.body());
        String adminB = server.token(orgB, "boris", "ADMIN");

        HttpResult replay = server.send("POST", "/api/agents/" + agentA + "/actions", adminB, body,
                Map.of("Idempotency-Key", "shared-key"));
        HttpResult otherBody = server.send("POST", "/api/agents/" + agentA + "/actions", adminB,
                Map.of("actions", List.of(Map.of("actionType", "SendEmail", "confidence", 0.9))),
                Map.of("Idempotency-Key", "shared-key"));

        assertEquals(404, replay.status(), replay.body());
        assertFalse(replay.body().contains(first.json().at("/decisions/0/decisionId").asText()));
        assertEquals(404, otherBody.status(), "not even whether the key was used: " + otherBody.body());
    }

    @Test
    void an_organization_sees_its_own_audit_entries_and_system_entries_without_another_organizations_content()
            throws Exception {
        String complianceA = server.token(orgA, "cora-of-acme", "COMPLIANCE");
        String complianceB = server.token(orgB, "clem", "COMPLIANCE");
        Path file = rules.resolve("approvals/routing.drl");
        Files.writeString(file, Files.readString(file) + "\n// touched by the tenancy test\n");
        HttpResult reload = server.post("/api/rules/reload", complianceA, "");
        assertEquals(200, reload.status(), reload.body());
        String version = reload.json().at("/status/version").asText();

        List<JsonNode> seenByB = new java.util.ArrayList<>();
        for (int page = 1; seenByB.isEmpty() || seenByB.size() % 100 == 0; page++) {
            JsonNode items = server.get("/api/audit?limit=100&page=" + page, complianceB).json().get("items");
            if (items.isEmpty()) {
                break;
            }
            items.forEach(seenByB::add);
        }
        assertTrue(seenByB.size() > 3, seenByB.toString());
        boolean forcedEntrySeen = false;
        for (JsonNode entry : seenByB) {
            assertFalse(entry.toString().contains(orgA), "org A's id in an entry org B sees: " + entry);
            assertFalse(entry.toString().contains("alice") || entry.toString().contains("cora-of-acme")
                    || entry.toString().contains("anna"), "org A's principals in an entry org B sees: " + entry);
            if (entry.get("organizationId").isNull()) {
                assertEquals("system", entry.get("actor").asText(), entry.toString());
                forcedEntrySeen |= entry.get("entityId").asText().equals(version);
            } else {
                assertEquals(orgB, entry.get("organizationId").asText(), entry.toString());
            }
        }
        // the file watcher may have loaded the change first; then the forced reload wrote nothing to look at
        assumeTrue(reload.json().get("outcome").asText().equals("LOADED"), "the watcher reloaded first");
        assertTrue(forcedEntrySeen, "the forced reload is a system entry every organization sees");
    }
}
