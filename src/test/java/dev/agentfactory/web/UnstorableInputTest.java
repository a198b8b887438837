package dev.agentfactory.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Text PostgreSQL cannot store — U+0000 and lone UTF-16 surrogates — is a 400 naming the field,
 * wherever it hides (a value, a nested payload, an object key, a query parameter), and nothing of
 * the request is written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnstorableInputTest {
    private TestServer server;
    private String pm;
    private String agentId;
    private String agentToken;

    @BeforeAll
    void start() {
        server = TestServer.start("unstorable");
        pm = server.token(server.defaultOrganizationId(), "una", "PM");
        agentId = Agents.createAndDeploy(server, pm, Blueprints.valid("Storable"));
        agentToken = Agents.agentToken(server, pm, agentId);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private long count(String table) {
        return server.jdbi().withHandle(h -> h.createQuery("select count(*) from " + table).mapTo(Long.class).one());
    }

    private static void assertRefused(HttpResult result, String field, String problem) {
        assertEquals(400, result.status(), result.body());
        assertEquals(List.of(field), result.errorFields(), result.body());
        assertTrue(result.json().at("/error/details/0/problem").asText().contains(problem), result.body());
    }

    @Test
    void a_nul_in_a_blueprint_field_is_a_400_and_nothing_is_stored() {
        long blueprints = count("blueprints");
        long audit = count("audit_log");
        HttpResult result = server.post("/api/agents", pm,
                Blueprints.with(Blueprints.valid("Nul goal"), null, "goal", "Book a viewing\u0000 today"));
        assertRefused(result, "goal", "U+0000");
        HttpResult nested = server.post("/api/agents", pm, Blueprints.with(Blueprints.valid("Nul variable"),
                "promptConfig", "promptVariables", Map.of("tone", List.of("warm", "ok\u0000"))));
        assertRefused(nested, "promptConfig.promptVariables.tone[1]", "U+0000");
        assertEquals(blueprints, count("blueprints"));
        assertEquals(audit, count("audit_log"));
    }

    @Test
    void a_nul_in_a_nested_payload_or_a_key_is_a_400_and_no_decision_is_stored() {
        long decisions = count("decisions");
        HttpResult value = server.post("/api/agents/" + agentId + "/actions", agentToken, Map.of("actions", List.of(
                Map.of("actionType", "GenerateRecommendation", "confidence", 0.9),
                Map.of("actionType", "GenerateRecommendation", "confidence", 0.9,
                        "payload", Map.of("note", "fine\u0000then not")))));
        assertRefused(value, "actions[1].payload.note", "U+0000");
        HttpResult key = server.post("/api/agents/" + agentId + "/actions", agentToken, Map.of("actions", List.of(
                Map.of("actionType", "GenerateRecommendation", "confidence", 0.9,
                        "payload", Map.of("bad\u0000key", 1)))));
        assertRefused(key, "actions[0].payload.bad\\u0000key", "the key contains U+0000");
        assertEquals(decisions, count("decisions"));
    }

    @Test
    void a_lone_surrogate_is_a_400() {
        long blueprints = count("blueprints");
        // written as a JSON escape: the bytes on the wire are valid, the decoded string is not
        String body = "{\"name\": \"Lone\", \"description\": \"d\", \"goal\": \"half an emoji \\ud83d here\","
                + " \"promptConfig\": {\"promptTemplateId\": \"t\"}}";
        assertRefused(server.post("/api/agents", pm, body), "goal", "lone UTF-16 surrogate (U+D83D)");
        String lowFirst = "{\"name\": \"Lone\", \"description\": \"\\udc00\\ud83d\", \"goal\": \"g\"}";
        assertRefused(server.post("/api/agents", pm, lowFirst), "description", "lone UTF-16 surrogate (U+DC00)");
        String pair = "{\"name\": \"Pair \\ud83d\\ude00\", \"description\": \"d\", \"goal\": \"g\","
                + " \"promptConfig\": {\"promptTemplateId\": \"t\"}}";
        assertEquals(201, server.post("/api/agents", pm, pair).status(), "a whole surrogate pair is fine");
        // the UTF-8-style encoding of a surrogate is not valid UTF-8: malformed, a 400 as well
        byte[] raw = "{\"name\": \"X\", \"goal\": \"?\"}".getBytes(StandardCharsets.UTF_8);
        byte[] withSurrogate = new byte[raw.length + 2];
        int at = new String(raw, StandardCharsets.UTF_8).indexOf('?');
        System.arraycopy(raw, 0, withSurrogate, 0, at);
        withSurrogate[at] = (byte) 0xED;
        withSurrogate[at + 1] = (byte) 0xA0;
        withSurrogate[at + 2] = (byte) 0x80;
        System.arraycopy(raw, at + 1, withSurrogate, at + 3, raw.length - at - 1);
        HttpResult malformed = server.post("/api/agents", pm, withSurrogate);
        assertEquals(400, malformed.status(), malformed.body());
        assertEquals(blueprints + 1, count("blueprints"));
    }

    @Test
    void a_nul_in_a_query_parameter_is_a_400_naming_it() {
        assertRefused(server.get("/api/agents?createdBy=pat%00", pm), "createdBy", "U+0000");
        String admin = TestServer.ADMIN_TOKEN;
        assertRefused(server.get("/api/audit?actor=%00", admin), "actor", "U+0000");
        // UTF-8 cannot carry a lone surrogate: Jetty decodes these bytes as U+FFFD, which PostgreSQL stores fine
        HttpResult surrogate = server.get("/api/agents?createdBy=%ED%A0%80", pm);
        assertTrue(surrogate.status() == 200 || surrogate.status() == 400, surrogate.toString());
    }

    @Test
    void a_nul_in_a_header_never_reaches_the_server() throws IOException {
        String request = "POST /api/agents/" + agentId + "/actions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + agentToken + "\r\nIdempotency-Key: a\u0000b\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
        long keys = count("idempotency_keys");
        try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(server.url("").replaceAll(".*:", "")))) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
            assertTrue(status.startsWith("HTTP/1.1 400"), status);
        }
        assertEquals(keys, count("idempotency_keys"));
    }
}
