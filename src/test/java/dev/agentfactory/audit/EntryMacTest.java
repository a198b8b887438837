package dev.agentfactory.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentfactory.support.TestServer;
import dev.agentfactory.web.Json;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An entry's MAC covers its content as the server wrote it, and must still match after jsonb has
 * reformatted it (keys sorted its way, numbers rewritten, whitespace gone); and it is cheap enough
 * for the decision path.
 */
class EntryMacTest {
    /** Everything jsonb likes to rewrite, and a few strings PostgreSQL stores differently than Java holds them. */
    private static final String AWKWARD = """
            {"z": 1.0E-5, "a": [1e2, 1.50, -0, 0.0, -0.0, 12345678901234567890123, 3.141592653589793, 1E+3],
             "m": {"b": true, "a": null, "": "empty key", "aa": [], "A": {}},
             "big": 1.7976931348623157E308, "tiny": 4.9E-324, "neg": -1.5e-7,
             "text": "emoji \\ud83d\\ude00, accents é, line\\nbreak, tab\\t, quote \\", separator \\u2028, control \\u0001",
             "lone": "a\\ud800b",
             "nested": {"deep": {"deeper": [{"x": 10.000, "y": "10.000"}]}}}
            """;

    @Test
    void json_that_jsonb_reformats_still_matches_the_mac_written_with_it() throws Exception {
        try (TestServer server = TestServer.start("entrymac")) {
            AuditKey key = AuditKey.of(Files.readString(server.config().dataDir().resolve("audit-key")).trim(), 1);
            UUID org = UUID.fromString(server.defaultOrganizationId());
            ObjectNode awkward = (ObjectNode) Json.MAPPER.readTree(AWKWARD);
            awkward.put("k\udc00ey", "a lone surrogate in a key (no JSON parser lets one in; code might)");
            new AuditLog(server.jdbi(), key).appendAlone(new AuditEvent(org, "probe\ud800", UUID.randomUUID(),
                    "probe.awkward", "probe", "p-1", "trace", awkward.get("m"), awkward, "rules-v1",
                    List.of("R-1", "R-\ud800")));

            JsonNode report = AuditChainTest.awaitSealed(server, TestServer.ADMIN_TOKEN);

            assertTrue(report.at("/organization/valid").asBoolean(), report.toString());
            JsonNode entry = server.get("/api/audit?action=probe.awkward", TestServer.ADMIN_TOKEN).json()
                    .get("items").get(0);
            assertEquals("verified", entry.get("entryCheck").asText(), entry.toString());
            assertEquals("0.00001", server.jdbi().withHandle(h -> h.createQuery(
                    "select after ->> 'z' from audit_log where action = 'probe.awkward'").mapTo(String.class).one()),
                    "stored in the canonical form the MAC covers");
            assertEquals("a?b", entry.at("/after/lone").asText(), "stored as PostgreSQL stores it");
        }
    }

    @Test
    void the_canonical_form_is_the_same_whichever_way_the_json_was_written() throws Exception {
        JsonNode written = Json.MAPPER.readTree("{\"b\": [1.0E-5, 100, 2.50], \"a\": {\"y\": 1, \"x\": -0.0}}");
        String stored = "{\"a\": {\"x\": 0, \"y\": 1.000}, \"b\": [0.000010, 1E+2, 2.5]}";
        assertEquals(CanonicalJson.of(written), CanonicalJson.ofStored(stored));
        assertEquals("{\"a\":{\"x\":0,\"y\":1},\"b\":[0.00001,100,2.5]}", CanonicalJson.of(written));
        assertTrue(!CanonicalJson.of(written).equals(CanonicalJson.ofStored("{\"a\": {\"x\": 0, \"y\": 1}, \"b\": [0.00001, 100, 2.51]}")),
                "a changed value is a changed form");
    }

    @Test
    void an_entry_mac_costs_microseconds() {
        AuditKey key = AuditKey.of("cost-0123456789-0123456789-0123456789", 1);
        JsonNode after = Json.tree(Map.of("agentId", UUID.randomUUID(), "blueprintVersion", 3,
                "traceId", "trace-0123456789", "action", Map.of("actionType", "SendEmail", "confidence", 0.93,
                        "contactId", "c-42", "payload", Map.of("subject", "Viewing on Tuesday?", "body", "x".repeat(400))),
                "decision", Map.of("decision", "REQUIRE_APPROVAL", "riskScore", 0.62, "scope", "Hybrid",
                        "reasons", List.of("risk 0.62 above threshold 0.50", "SendEmail is high-risk"))));
        UUID org = UUID.randomUUID();
        Runnable write = () -> key.entryMac(new EntryContent(org, EntryContent.now(), org, "agent:lead", "decision.made",
                "decision", "d-1", "req-1", null, CanonicalJson.of(after), "0123456789abcdef",
                CanonicalJson.of(Json.tree(List.of("ACT-001", "ACT-014")))));
        for (int i = 0; i < 20_000; i++) {
            write.run();
        }
        int rounds = 50_000;
        long started = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            write.run();
        }
        double micros = (System.nanoTime() - started) / 1_000.0 / rounds;
        System.out.printf("[entry MAC] canonical form + HMAC-SHA256 of a %d-byte entry: %.1f µs%n",
                CanonicalJson.of(after).length(), micros);
        // ~10 µs on an idle core, ~65 µs with six builds on two cores: far from a millisecond either way.
        assertTrue(micros < 1_000, micros + " µs per entry");
    }
}
