package dev.agentfactory.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.DatabaseOwner;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the server does with tokens when it starts: the bootstrap token, and tokens from before the namespaces. */
class StartUpTokensTest {
    private static final String SECOND = "af_second-admin-secret-0123456789";
    private static final String THIRD = "af_third-admin-secret-0123456789";

    @Test
    void a_revoked_bootstrap_token_stays_revoked_and_a_new_secret_replaces_it_audited() {
        TestServer server = TestServer.start("bootstrap-revoked");
        String bootstrapId = server.get("/api/me", TestServer.ADMIN_TOKEN).json().get("tokenId").asText();
        assertEquals(204, server.delete("/api/tokens/" + bootstrapId, TestServer.ADMIN_TOKEN).status());
        assertEquals(401, server.get("/api/me", TestServer.ADMIN_TOKEN).status());

        ListAppender<ILoggingEvent> logs = capture();
        try {
            server = server.restart();
        } finally {
            release(logs);
        }

        assertEquals(401, server.get("/api/me", TestServer.ADMIN_TOKEN).status(), "a restart does not reinstate it");
        assertEquals(200, server.get("/health", null).status(), "the server still starts");
        ILoggingEvent error = logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).findFirst().orElse(null);
        assertNotNull(error, "the operator is told: " + logs.list);
        assertTrue(error.getFormattedMessage().contains("stays revoked")
                && error.getFormattedMessage().contains("NEW secret"), error.getFormattedMessage());
        assertFalse(error.getFormattedMessage().contains(TestServer.ADMIN_TOKEN), "the secret is never logged");

        server = server.restart(c -> c.withAdminToken(SECOND));
        JsonNode me = server.get("/api/me", SECOND).json();
        assertEquals("admin", me.get("principal").asText());
        assertTrue(me.get("systemAdmin").asBoolean());
        assertEquals(401, server.get("/api/me", TestServer.ADMIN_TOKEN).status());

        server = server.restart(c -> c.withAdminToken(THIRD));
        assertEquals(200, server.get("/api/me", THIRD).status());
        assertEquals(401, server.get("/api/me", SECOND).status(), "the new secret revokes the one before");
        List<String> trail = tokenEntries(server, THIRD).stream()
                .map(entry -> entry.get("action").asText() + " " + entry.at("/after/note").asText()).toList();
        assertEquals(List.of("token.created from AF_ADMIN_TOKEN", "token.revoked replaced by a new AF_ADMIN_TOKEN",
                "token.created from AF_ADMIN_TOKEN", "token.created from AF_ADMIN_TOKEN"), trail);
        server.close();
    }

    @Test
    void tokens_minted_before_the_namespaces_are_renamed_or_revoked_at_start_up_audited() {
        TestServer server = TestServer.start("legacy-tokens");
        String org = server.organization("legacy");
        String agentId = Agents.create(server, server.token(org, "pat", "PM"), Blueprints.valid("Legacy agent"));
        DatabaseOwner.of(server).useHandle(handle -> {
            // the rows as they could be before V8: the namespace check only holds for rows written since
            handle.execute("alter table api_tokens drop constraint api_tokens_principal_namespace");
            legacy(handle, org, "bob", "{AGENT}", agentId, "legacy-bound");
            legacy(handle, org, "mixy", "{AGENT,PM}", null, "legacy-mixed");
            legacy(handle, org, "floaty", "{AGENT}", null, "legacy-unbound");
            legacy(handle, org, "admin", "{ADMIN}", null, "legacy-impostor");
            legacy(handle, org, "percy", "{PM}", null, "legacy-person");
            handle.execute("""
                    alter table api_tokens add constraint api_tokens_principal_namespace check (
                        revoked_at is not null
                        or (roles = array['AGENT'] and agent_id is not null and principal like 'agent:%')
                        or (not 'AGENT' = any(roles) and agent_id is null and position(':' in principal) = 0)
                    ) not valid""");
        });

        server = server.restart();

        assertEquals("agent:bob", server.get("/api/me", "legacy-bound").json().get("principal").asText());
        assertEquals("percy", server.get("/api/me", "legacy-person").json().get("principal").asText());
        for (String revoked : List.of("legacy-mixed", "legacy-unbound", "legacy-impostor")) {
            assertEquals(401, server.get("/api/me", revoked).status(), revoked);
        }
        assertEquals(200, server.get("/api/me", TestServer.ADMIN_TOKEN).status(), "the real admin is untouched");
        List<String> trail = tokenEntries(server, server.token(org, "cleo", "COMPLIANCE")).stream()
                .map(e -> e.get("action").asText() + " " + e.at("/before/principal").asText() + " -> "
                        + e.at("/after/principal").asText()).sorted().toList();
        assertEquals(List.of("token.renamed bob -> agent:bob", "token.revoked admin -> admin",
                "token.revoked floaty -> floaty", "token.revoked mixy -> mixy"), trail);

        server = server.restart();
        assertEquals(4, tokenEntries(server, server.token(org, "cleo2", "COMPLIANCE")).size(),
                "nothing left to do on the next start");
        server.close();
    }

    /** The token entries the server itself wrote that {@code token} may read, newest first. */
    private static List<JsonNode> tokenEntries(TestServer server, String token) {
        List<JsonNode> entries = new ArrayList<>();
        server.get("/api/audit?actor=system&limit=100", token).json().get("items").forEach(entry -> {
            if (entry.get("action").asText().startsWith("token.")) {
                entries.add(entry);
            }
        });
        return entries;
    }

    private static void legacy(Handle handle, String org, String principal, String roles, String agentId, String secret) {
        handle.createUpdate("""
                insert into api_tokens (organization_id, principal, roles, agent_id, token_hash, created_by, created_at)
                values (cast(:org as uuid), :principal, cast(:roles as text[]), cast(:agent as uuid), :hash, 'old-admin',
                        now() - make_interval(secs => :age))
                """).bind("org", org).bind("principal", principal).bind("roles", roles).bind("agent", agentId)
                .bind("hash", TokenSecrets.hash(secret)).bind("age", 100 - principal.length()).execute();
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(Bootstrap.class)).addAppender(appender);
        return appender;
    }

    private static void release(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(Bootstrap.class)).detachAppender(appender);
    }
}
