package dev.agentfactory.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.DatabaseOwner;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditTrailTest {
    private TestServer server;
    private String org;
    private String pm;
    private String auditor;

    @BeforeAll
    void start() {
        server = TestServer.start("audit");
        org = server.organization("audited");
        pm = server.token(org, "paula", "PM");
        auditor = server.token(org, "carl", "COMPLIANCE");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void create_update_and_delete_are_audited_with_before_after_and_trace_id() {
        HttpResult created = server.send("POST", "/api/agents", pm, Blueprints.valid("Audited v1"),
                Map.of("X-Request-Id", "trace-create-1"));
        String id = created.json().get("id").asText();
        assertEquals("trace-create-1", created.header("X-Request-Id"));
        server.put("/api/agents/" + id, pm, Blueprints.valid("Audited v2"));
        server.delete("/api/agents/" + id, pm);

        JsonNode entries = server.get("/api/audit?entityId=" + id, auditor).json();

        assertEquals(3, entries.get("total").asInt());
        List<String> actions = new ArrayList<>();
        entries.get("items").forEach(e -> actions.add(e.get("action").asText()));
        assertEquals(List.of("blueprint.deprecated", "blueprint.updated", "blueprint.created"), actions);
        JsonNode creation = entries.get("items").get(2);
        assertEquals("paula", creation.get("actor").asText());
        assertEquals(org, creation.get("organizationId").asText());
        assertEquals("trace-create-1", creation.get("traceId").asText());
        assertTrue(creation.get("before").isNull());
        assertEquals("Audited v1", creation.at("/after/name").asText());
        JsonNode update = entries.get("items").get(1);
        assertEquals("Audited v1", update.at("/before/name").asText());
        assertEquals("Audited v2", update.at("/after/name").asText());
        assertEquals("Deprecated", entries.get("items").get(0).at("/after/status").asText());
    }

    @Test
    void token_and_organization_changes_are_audited() {
        String newOrg = server.organization("audited-too");
        HttpResult token = server.post("/api/tokens", TestServer.ADMIN_TOKEN,
                Map.of("principal", "tina", "organizationId", newOrg, "roles", List.of("COMPLIANCE")));
        String tokenId = token.json().get("id").asText();
        String tina = token.json().get("token").asText();
        server.delete("/api/tokens/" + tokenId, TestServer.ADMIN_TOKEN);

        String secondAuditor = server.token(newOrg, "ursula", "COMPLIANCE");
        JsonNode trail = server.get("/api/audit?limit=100", secondAuditor).json();
        List<String> actions = new ArrayList<>();
        trail.get("items").forEach(e -> actions.add(e.get("action").asText() + ":" + e.get("entityId").asText()));
        assertTrue(actions.contains("organization.created:" + newOrg), actions.toString());
        assertTrue(actions.contains("token.created:" + tokenId), actions.toString());
        assertTrue(actions.contains("token.revoked:" + tokenId), actions.toString());
        assertTrue(!trail.toString().contains(tina), "the audit trail never holds a token secret");
    }

    @Test
    void filters_narrow_the_trail() {
        String id = server.post("/api/agents", pm, Blueprints.valid("Filtered")).json().get("id").asText();
        server.put("/api/agents/" + id, pm, Blueprints.valid("Filtered 2"));

        assertEquals(1, server.get("/api/audit?entityId=" + id + "&action=blueprint.updated", auditor).json()
                .get("total").asInt());
        assertEquals(0, server.get("/api/audit?entityId=" + id + "&actor=someone-else", auditor).json()
                .get("total").asInt());
        assertEquals(0, server.get("/api/audit?entityId=" + id + "&from=2999-01-01T00:00:00Z", auditor).json()
                .get("total").asInt());
        assertEquals(2, server.get("/api/audit?entityId=" + id + "&from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z",
                auditor).json().get("total").asInt());
    }

    @Test
    void the_database_refuses_to_rewrite_or_delete_audit_rows() {
        server.post("/api/agents", pm, Blueprints.valid("Immutable"));
        // The server's role lacks the privilege; the owner has it, but the trigger refuses.
        for (org.jdbi.v3.core.Jdbi asking : List.of(server.jdbi(), DatabaseOwner.of(server))) {
            assertThrows(UnableToExecuteStatementException.class,
                    () -> asking.useHandle(h -> h.execute("update audit_log set actor = 'mallory'")));
            assertThrows(UnableToExecuteStatementException.class,
                    () -> asking.useHandle(h -> h.execute("delete from audit_log")));
            assertThrows(UnableToExecuteStatementException.class,
                    () -> asking.useHandle(h -> h.execute("truncate audit_log")));
        }
    }

    @Test
    void entries_record_the_token_they_were_made_with() {
        HttpResult minted = server.post("/api/tokens", TestServer.ADMIN_TOKEN,
                Map.of("principal", "tom", "organizationId", org, "roles", List.of("PM")));
        String tokenId = minted.json().get("id").asText();
        String tom = minted.json().get("token").asText();
        String agentId = Agents.createAndDeploy(server, tom, Agents.leadAgent("Token-tracked"));
        HttpResult agentToken = server.post("/api/tokens", tom, Map.of("principal", "tracked",
                "roles", List.of("AGENT"), "agentId", agentId));
        assertEquals(201, agentToken.status(), agentToken.body());
        Agents.propose(server, agentToken.json().get("token").asText(), agentId,
                Map.of("actionType", "GenerateRecommendation", "confidence", 0.95, "contactId", "c-1"));

        JsonNode created = server.get("/api/audit?action=blueprint.created&entityId=" + agentId, auditor).json()
                .get("items").get(0);
        assertEquals(tokenId, created.get("tokenId").asText(), created.toString());
        JsonNode decided = server.get("/api/audit?action=decision.made&actor=" + agentToken.json().get("principal")
                .asText(), auditor).json().get("items").get(0);
        assertEquals(agentToken.json().get("id").asText(), decided.get("tokenId").asText(), decided.toString());
        JsonNode reload = server.get("/api/audit?action=rules.loaded", auditor).json().get("items").get(0);
        assertTrue(reload.get("tokenId").isNull(), "the server's own doings have no token: " + reload);
        JsonNode sealed = AuditChainTest.awaitSealed(server, auditor);
        assertTrue(sealed.at("/organization/valid").asBoolean(), "the MAC covers the token id: " + sealed);
    }

    @Test
    void when_the_audit_entry_cannot_be_written_the_change_is_not_written_either() {
        DatabaseOwner.of(server).useHandle(h -> h.execute("""
                create function fail_blueprint_audit() returns trigger language plpgsql as $$
                begin
                  if new.action = 'blueprint.created' and new.after ->> 'name' = 'Doomed' then
                    raise exception 'audit storage unavailable';
                  end if;
                  return new;
                end $$;
                create trigger fail_blueprint_audit before insert on audit_log
                  for each row execute function fail_blueprint_audit();
                """));
        try {
            HttpResult result = server.post("/api/agents", pm, Blueprints.valid("Doomed"));

            assertEquals(500, result.status());
            assertEquals("internal_error", result.json().at("/error/code").asText());
            long stored = server.jdbi().withHandle(h -> h.createQuery(
                    "select count(*) from blueprints where name = 'Doomed'").mapTo(Long.class).one());
            long versions = server.jdbi().withHandle(h -> h.createQuery(
                    "select count(*) from blueprint_versions where snapshot ->> 'name' = 'Doomed'").mapTo(Long.class).one());
            assertEquals(0, stored);
            assertEquals(0, versions);
        } finally {
            DatabaseOwner.of(server).useHandle(h -> h.execute(
                    "drop trigger fail_blueprint_audit on audit_log; drop function fail_blueprint_audit()"));
        }
    }
}
