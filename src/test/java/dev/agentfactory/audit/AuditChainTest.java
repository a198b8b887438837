package dev.agentfactory.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.DatabaseOwner;
import dev.agentfactory.support.TestServer;
import dev.agentfactory.web.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The audit trail is a hash chain per organization; verify finds the first tampered entry; export streams. */
class AuditChainTest {

    @Test
    void verify_passes_then_fails_at_the_entry_edited_behind_the_servers_back() throws Exception {
        try (TestServer server = TestServer.start("auditchain")) {
            String org = server.organization("chained");
            String pm = server.token(org, "cara", "PM");
            String auditor = server.token(org, "ivy", "COMPLIANCE");
            for (int i = 0; i < 5; i++) {
                String id = server.post("/api/agents", pm, Blueprints.valid("Chained " + i)).json().get("id").asText();
                server.put("/api/agents/" + id, pm, Blueprints.valid("Chained " + i + " v2"));
            }

            JsonNode report = awaitSealed(server, auditor);
            assertTrue(report.at("/organization/valid").asBoolean(), report.toString());
            assertTrue(report.at("/organization/verified").asInt() >= 11, report.toString());
            assertTrue(report.at("/system/valid").asBoolean(), report.toString());
            JsonNode entries = server.get("/api/audit?limit=100", auditor).json().get("items");
            JsonNode victim = null;
            for (JsonNode entry : entries) {
                if (entry.get("action").asText().equals("blueprint.updated") && entry.get("organizationId").asText().equals(org)) {
                    victim = entry;
                }
            }
            assertTrue(victim.get("hash").asText().matches("[0-9a-f]{64}"));
            long victimId = victim.get("id").asLong();

            // As the database owner, bypassing the guard: an insider rewrites who did it.
            DatabaseOwner.of(server).useHandle(h -> {
                h.execute("alter table audit_log disable trigger audit_log_append_only");
                h.execute("update audit_log set actor = 'someone-else' where id = ?", victimId);
                h.execute("alter table audit_log enable trigger audit_log_append_only");
            });

            JsonNode broken = server.get("/api/audit/verify", auditor).json();
            assertFalse(broken.at("/organization/valid").asBoolean(), broken.toString());
            assertEquals(victimId, broken.at("/organization/firstBrokenEntry/id").asLong());
            assertTrue(broken.at("/organization/firstBrokenEntry/problem").asText()
                    .contains("content does not match the MAC written with it"), broken.toString());
            assertTrue(broken.at("/system/valid").asBoolean(), "other chains are unaffected");
        }
    }

    @Test
    void a_deleted_entry_breaks_the_chain_too() throws Exception {
        try (TestServer server = TestServer.start("auditdelete")) {
            String org = server.organization("pruned");
            String pm = server.token(org, "pia", "PM");
            String auditor = server.token(org, "ian", "COMPLIANCE");
            for (int i = 0; i < 3; i++) {
                server.post("/api/agents", pm, Blueprints.valid("Pruned " + i));
            }
            awaitSealed(server, auditor);
            // The owner removes the second entry and its seal, triggers off.
            DatabaseOwner.of(server).useHandle(h -> {
                h.execute("alter table audit_seals disable trigger audit_seals_append_only");
                h.execute("alter table audit_log disable trigger audit_log_append_only");
                long victim = h.createQuery("delete from audit_seals where chain = cast(:org as uuid) and seal_seq = 2"
                        + " returning audit_id").bind("org", org).mapTo(Long.class).one();
                h.execute("delete from audit_log where id = ?", victim);
                h.execute("alter table audit_log enable trigger audit_log_append_only");
                h.execute("alter table audit_seals enable trigger audit_seals_append_only");
            });
            JsonNode broken = server.get("/api/audit/verify", auditor).json();
            assertFalse(broken.at("/organization/valid").asBoolean());
            assertTrue(broken.at("/organization/firstBrokenEntry/problem").asText().contains("missing"), broken.toString());
        }
    }

    @Test
    void an_entry_slipped_in_without_its_seal_breaks_the_chain() throws Exception {
        try (TestServer server = TestServer.start("auditslipped")) {
            String org = server.organization("slipped");
            String pm = server.token(org, "sam", "PM");
            String auditor = server.token(org, "sue", "COMPLIANCE");
            server.post("/api/agents", pm, Blueprints.valid("Slipped"));
            awaitSealed(server, auditor);
            long forged = DatabaseOwner.of(server).withHandle(h -> {
                h.execute("alter table audit_log disable trigger audit_log_queue_seal");
                long id = h.createQuery("""
                        insert into audit_log (organization_id, actor, action, entity_type, entity_id)
                        values (cast(:org as uuid), 'sam', 'approval.approved', 'approval', 'made-up') returning id
                        """).bind("org", org).mapTo(Long.class).one();
                h.execute("alter table audit_log enable trigger audit_log_queue_seal");
                return id;
            });
            JsonNode broken = server.get("/api/audit/verify", auditor).json();
            assertFalse(broken.at("/organization/valid").asBoolean(), broken.toString());
            assertEquals(forged, broken.at("/organization/firstBrokenEntry/id").asLong());
            assertTrue(broken.at("/organization/firstBrokenEntry/problem").asText().contains("outside the chain"));
        }
    }

    @Test
    void seals_cannot_be_changed_through_the_database() throws Exception {
        try (TestServer server = TestServer.start("auditsealguard")) {
            String org = server.organization("guarded");
            String pm = server.token(org, "gus", "PM");
            String auditor = server.token(org, "gia", "COMPLIANCE");
            server.post("/api/agents", pm, Blueprints.valid("Guarded"));
            awaitSealed(server, auditor);
            // The server's own role has no UPDATE on seals; the owner has, but the trigger refuses it.
            Exception asServer = assertThrows(Exception.class, () -> server.jdbi()
                    .useHandle(h -> h.execute("update audit_seals set hash = 'x' where chain = cast(? as uuid)", org)));
            assertTrue(asServer.getMessage().contains("permission denied for table audit_seals"), asServer.getMessage());
            Exception asOwner = assertThrows(Exception.class, () -> DatabaseOwner.of(server)
                    .useHandle(h -> h.execute("update audit_seals set hash = 'x' where chain = cast(? as uuid)", org)));
            assertTrue(asOwner.getMessage().contains("append-only"), asOwner.getMessage());
        }
    }

    @Test
    void an_export_of_a_hundred_thousand_entries_streams() throws Exception {
        try (TestServer server = TestServer.start("auditexport")) {
            String org = server.defaultOrganizationId();
            DatabaseOwner.of(server).useHandle(h -> h.execute("""
                    insert into audit_log (organization_id, actor, action, entity_type, entity_id, trace_id, after)
                    select cast(? as uuid), 'loader', 'bulk.loaded', 'thing', g::text, 'bulk',
                           jsonb_build_object('n', g, 'padding', repeat('x', 200))
                      from generate_series(1, 100000) g
                    """, org));
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.url("/api/audit/export?from=2000-01-01T00:00:00Z")))
                    .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).timeout(Duration.ofMinutes(2)).build();
            long started = System.nanoTime();
            HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            assertEquals("application/x-ndjson", response.headers().firstValue("Content-Type").orElse(""));
            assertTrue(response.headers().firstValue("Content-Length").isEmpty(), "streamed, not buffered");
            long firstLineAt = 0;
            int lines = 0;
            JsonNode last = null;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (lines == 0) {
                        firstLineAt = System.nanoTime();
                    }
                    lines++;
                    if (lines % 25_000 == 0 || lines == 1) {
                        last = Json.read(line, JsonNode.class);
                    }
                }
            }
            long finished = System.nanoTime();
            assertTrue(lines >= 100_000, "lines: " + lines);
            assertEquals("thing", last.get("entityType").asText());
            assertTrue(firstLineAt - started < (finished - started) / 2,
                    "the first entries arrive long before the last: the export does not wait to build it all");
        }
    }

    /** Waits until the sealer has sealed everything in the caller's chain and the system chain; returns the report. */
    static JsonNode awaitSealed(TestServer server, String auditor) {
        return Awaitility.await("the audit trail is sealed").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> server.get("/api/audit/verify", auditor).json(),
                        report -> report.at("/organization/unsealed").asInt() == 0
                                && report.at("/system/unsealed").asInt() == 0);
    }
}
