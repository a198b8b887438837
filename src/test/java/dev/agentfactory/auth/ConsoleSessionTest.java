package dev.agentfactory.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Console sessions over plain HTTP: the cookies, CSRF on writes, sign-out, expiry, revocation, roles. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleSessionTest {
    private TestServer server;
    private String org;
    private String pm;

    /** The two cookies a sign-in sets, and the header a write must echo. */
    private record Session(String id, String csrf, HttpResult signIn) {
        Map<String, String> reading() {
            return Map.of("Cookie", "af_session=" + id + "; af_csrf=" + csrf);
        }

        Map<String, String> writing() {
            Map<String, String> headers = new HashMap<>(reading());
            headers.put("X-CSRF-Token", csrf);
            return headers;
        }
    }

    @BeforeAll
    void start() {
        server = TestServer.start("console_sessions");
        org = server.organization("acme");
        pm = server.token(org, "paula", "PM");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private Session signIn(String token) {
        return signIn(server, token, Map.of());
    }

    private static Session signIn(TestServer server, String token, Map<String, String> headers) {
        HttpResult result = server.send("POST", "/api/session", null, Map.of("token", token), headers);
        assertEquals(201, result.status(), result.toString());
        return new Session(cookie(result, "af_session"), cookie(result, "af_csrf"), result);
    }

    private static String setCookie(HttpResult result, String name) {
        return result.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .findFirst().orElseThrow(() -> new AssertionError("no cookie " + name + " in " + result.headers()));
    }

    private static String cookie(HttpResult result, String name) {
        String header = setCookie(result, name);
        return header.substring(name.length() + 1, header.indexOf(';'));
    }

    @Test
    void signing_in_sets_an_http_only_strict_session_cookie_and_a_readable_csrf_cookie() {
        Session session = signIn(pm);
        String cookie = setCookie(session.signIn(), "af_session");
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        assertTrue(cookie.contains("Max-Age=" + ConsoleSessions.LIFETIME.toSeconds()), cookie);
        assertFalse(cookie.contains("Secure"), "plain http: " + cookie);
        String csrf = setCookie(session.signIn(), "af_csrf");
        assertFalse(csrf.contains("HttpOnly"), "the console's script reads it: " + csrf);
        assertTrue(csrf.contains("SameSite=Strict"), csrf);
        assertEquals("paula", session.signIn().json().get("principal").asText());
        assertEquals(List.of("PM"), List.of(session.signIn().json().get("roles").get(0).asText()));
    }

    @Test
    void behind_https_the_cookies_are_secure() {
        Session session = signIn(server, pm, Map.of("X-Forwarded-Proto", "https"));
        assertTrue(setCookie(session.signIn(), "af_session").contains("Secure"));
        assertTrue(setCookie(session.signIn(), "af_csrf").contains("Secure"));
    }

    @Test
    void only_hashes_of_the_session_and_its_csrf_token_are_stored() {
        Session session = signIn(pm);
        List<String> stored = server.jdbi().withHandle(h -> h.createQuery(
                "select id_hash || ' ' || csrf_hash from console_sessions").mapTo(String.class).list());
        assertFalse(stored.isEmpty());
        for (String row : stored) {
            assertFalse(row.contains(session.id()));
            assertFalse(row.contains(session.csrf()));
        }
        assertTrue(stored.contains(TokenSecrets.hash(session.id()) + " " + TokenSecrets.hash(session.csrf())));
    }

    @Test
    void the_session_reads_without_a_bearer_token() {
        Session session = signIn(pm);
        HttpResult me = server.send("GET", "/api/session", null, null, session.reading());
        assertEquals(200, me.status(), me.toString());
        assertEquals("paula", me.json().get("principal").asText());
        assertEquals(200, server.send("GET", "/api/agents", null, null, session.reading()).status());
    }

    @Test
    void a_write_with_the_cookie_needs_the_sessions_csrf_token() {
        Session session = signIn(pm);
        Session other = signIn(pm);
        HttpResult none = server.send("POST", "/api/agents", null, Blueprints.valid("no csrf"), session.reading());
        assertEquals(403, none.status(), none.toString());
        assertTrue(none.json().at("/error/message").asText().contains("X-CSRF-Token"), none.toString());

        Map<String, String> wrong = new HashMap<>(session.reading());
        wrong.put("X-CSRF-Token", other.csrf());
        assertEquals(403, server.send("POST", "/api/agents", null, Blueprints.valid("csrf of another session"),
                wrong).status());

        HttpResult created = server.send("POST", "/api/agents", null, Blueprints.valid("with csrf"), session.writing());
        assertEquals(201, created.status(), created.toString());
        assertEquals("paula", created.json().get("createdBy").asText());
    }

    @Test
    void what_a_session_may_do_follows_the_roles_of_its_token() {
        Session approver = signIn(server.token(org, "arthur", "APPROVER"));
        assertEquals(403, server.send("POST", "/api/agents", null, Blueprints.valid("not mine"),
                approver.writing()).status());
        assertEquals(200, server.send("GET", "/api/approvals", null, null, approver.reading()).status());
        assertEquals(403, server.send("GET", "/api/audit", null, null, approver.reading()).status());
    }

    @Test
    void signing_out_ends_the_session() {
        Session session = signIn(pm);
        assertEquals(403, server.send("DELETE", "/api/session", null, null, session.reading()).status(),
                "signing out is a write: it needs the CSRF token too");
        HttpResult out = server.send("DELETE", "/api/session", null, null, session.writing());
        assertEquals(204, out.status(), out.toString());
        assertTrue(setCookie(out, "af_session").contains("Max-Age=0"));
        assertEquals(401, server.send("GET", "/api/session", null, null, session.reading()).status());
    }

    @Test
    void an_expired_or_idle_session_is_a_401() {
        Session expired = signIn(pm);
        Session idle = signIn(pm);
        server.jdbi().useHandle(h -> {
            h.createUpdate("update console_sessions set expires_at = now() - interval '1 second' where id_hash = :h")
                    .bind("h", TokenSecrets.hash(expired.id())).execute();
            h.createUpdate("update console_sessions set last_seen_at = now() - interval '31 minutes' where id_hash = :h")
                    .bind("h", TokenSecrets.hash(idle.id())).execute();
        });
        HttpResult result = server.send("GET", "/api/session", null, null, expired.reading());
        assertEquals(401, result.status());
        assertTrue(result.json().at("/error/message").asText().contains("sign in again"), result.toString());
        assertEquals(401, server.send("GET", "/api/session", null, null, idle.reading()).status());
    }

    @Test
    void revoking_the_token_ends_its_sessions() {
        String token = server.token(org, "rita", "PM");
        Session session = signIn(token);
        String tokenId = server.get("/api/me", token).json().get("tokenId").asText();
        assertEquals(204, server.delete("/api/tokens/" + tokenId, TestServer.ADMIN_TOKEN).status());
        assertEquals(401, server.send("GET", "/api/session", null, null, session.reading()).status());
    }

    @Test
    void unknown_missing_and_agent_tokens_do_not_sign_in() {
        HttpResult unknown = server.post("/api/session", null, Map.of("token", "af_nope"));
        assertEquals(401, unknown.status());
        HttpResult missing = server.post("/api/session", null, Map.of());
        assertEquals(400, missing.status());
        assertEquals(List.of("token"), missing.errorFields());
        assertEquals(400, server.post("/api/session", null, Map.of("token", 42)).status());
        assertEquals(400, server.post("/api/session", null, "not json").status());
        HttpResult form = server.send("POST", "/api/session", null, "{\"token\": \"" + pm + "\"}",
                Map.of("Content-Type", "text/plain"));
        assertEquals(415, form.status(), "a cross-site form cannot sign a browser in: " + form);

        String agentId = server.post("/api/agents", pm, Blueprints.valid("robot")).json().get("id").asText();
        String agent = server.post("/api/tokens", TestServer.ADMIN_TOKEN, Map.of("principal", "robot",
                "organizationId", org, "roles", List.of("AGENT"), "agentId", agentId)).json().get("token").asText();
        HttpResult refused = server.post("/api/session", null, Map.of("token", agent));
        assertEquals(403, refused.status());
        assertTrue(refused.json().at("/error/message").asText().contains("agent"), refused.toString());
    }

    @Test
    void a_bearer_token_wins_over_a_cookie_and_needs_no_csrf_token() {
        Session session = signIn(pm);
        Map<String, String> headers = new HashMap<>(session.reading());
        headers.put("Authorization", "Bearer " + TestServer.ADMIN_TOKEN);
        HttpResult me = server.send("GET", "/api/me", null, null, headers);
        assertEquals("admin", me.json().get("principal").asText());
        assertEquals(201, server.send("POST", "/api/agents", null, Blueprints.valid("bearer"), headers).status());
    }

    @Test
    void a_session_works_on_every_server_sharing_the_database() {
        Session session = signIn(pm);
        try (TestServer twin = server.twin()) {
            HttpResult me = twin.send("GET", "/api/session", null, null, session.reading());
            assertEquals(200, me.status(), me.toString());
            assertNotEquals(server.url("/"), twin.url("/"));
        }
    }
}
