package dev.agentfactory.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.App;
import dev.agentfactory.Config;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.DatabaseOwner;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestDatabase;
import dev.agentfactory.support.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The audit key: AF_AUDIT_KEY, or generated once into the data folder (mode 600); a server with
 * another key than the one that sealed the trail does not start, unless the operator deliberately
 * begins a new key epoch; the key itself is never logged.
 */
class AuditKeyTest {
    private static final String KEY_A = "key-A-0123456789-0123456789-0123456789";
    private static final String KEY_B = "key-B-9876543210-9876543210-9876543210";

    @Test
    void a_key_file_is_generated_with_mode_600_on_first_start_and_reused_on_restart() throws IOException {
        TestServer server = TestServer.start("auditkeyfile");
        Path file = server.config().dataDir().resolve("audit-key");
        try {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            String key = Files.readString(file).trim();
            assertTrue(key.length() >= 43, "256 random bits, base64url: " + key.length());
            String fingerprint = AuditKey.of(key, 1).shortFingerprint();
            assertEquals(fingerprint, verify(server).at("/key/fingerprint").asText());
            server.post("/api/agents", TestServer.ADMIN_TOKEN, Blueprints.valid("Before restart"));
            AuditChainTest.awaitSealed(server, TestServer.ADMIN_TOKEN);

            server = server.restart();

            assertEquals(key, Files.readString(file).trim(), "the same key, not a new one");
            JsonNode report = verify(server);
            assertEquals(1, report.at("/key/epoch").asInt());
            assertEquals(fingerprint, report.at("/key/fingerprint").asText());
            assertTrue(report.at("/organization/valid").asBoolean(), report.toString());
            assertTrue(report.at("/organization/verified").asInt() >= 2, report.toString());
        } finally {
            server.close();
        }

        // The epoch row carries its own MAC: the owner cannot move it unseen.
        DatabaseOwner.of(server).useHandle(h -> {
            h.execute("set session_replication_role = replica");
            h.execute("update audit_keys set mac = repeat('0', 64)");
        });
        assertEquals("the audit_keys row of key epoch 1 does not match its MAC: it was changed behind the server's back",
                refusal(server.config()));
    }

    @Test
    void af_audit_key_wins_over_the_key_file() throws IOException {
        Path dataDir = TestServer.tempDir("af-keyed");
        Files.writeString(dataDir.resolve("audit-key"), KEY_B + "\n");
        try (TestServer server = TestServer.start("auditkeyenv", c -> c.withDataDir(dataDir).withAudit(keyed(KEY_A)))) {
            assertEquals(AuditKey.of(KEY_A, 1).shortFingerprint(), verify(server).at("/key/fingerprint").asText());
            assertEquals(KEY_B + "\n", Files.readString(dataDir.resolve("audit-key")), "the file is left alone");
        }
    }

    @Test
    void another_key_is_refused_until_a_new_epoch_is_begun_on_purpose() throws Exception {
        String fingerprintA = AuditKey.of(KEY_A, 1).shortFingerprint();
        Config withA;
        try (TestServer server = TestServer.start("auditkeyepoch", c -> c.withAudit(keyed(KEY_A)))) {
            server.post("/api/agents", TestServer.ADMIN_TOKEN, Blueprints.valid("Sealed with A"));
            AuditChainTest.awaitSealed(server, TestServer.ADMIN_TOKEN);
            withA = server.config();
        }

        String wrongKey = refusal(withA.withAudit(keyed(KEY_B)));
        assertTrue(wrongKey.contains("the audit key from AF_AUDIT_KEY (fingerprint " + AuditKey.of(KEY_B, 1)
                .shortFingerprint() + ") is not the key this database's audit trail is sealed with (epoch 1, "
                + "fingerprint " + fingerprintA + ")"), wrongKey);
        assertTrue(wrongKey.contains("start once with AF_AUDIT_NEW_EPOCH=" + fingerprintA), wrongKey);
        String noKey = refusal(withA.withAudit(Config.Audit.fromDataDir()));
        assertTrue(noKey.startsWith("no audit key: AF_AUDIT_KEY is unset and "), noKey);
        assertFalse(Files.exists(withA.dataDir().resolve("audit-key")), "no key is generated for a sealed trail");
        String wrongFingerprint = refusal(withA.withAudit(new Config.Audit(Optional.of(KEY_B), Optional.of(KEY_A))));
        assertTrue(wrongFingerprint.startsWith("AF_AUDIT_NEW_EPOCH does not name the fingerprint"), wrongFingerprint);

        // An entry the server with key A wrote but had not sealed yet when it stopped.
        Jdbi database = Jdbi.create(withA.dbUrl().orElseThrow(), withA.dbUser(), withA.dbPassword())
                .installPlugin(new PostgresPlugin());
        UUID org = database.withHandle(h -> h.createQuery("select id from organizations where name = 'default'")
                .mapTo(UUID.class).one());
        new AuditLog(database, AuditKey.of(KEY_A, 1)).appendAlone(new AuditEvent(org, "pat", "blueprint.updated",
                "blueprint", "left-waiting", "t-1", null, null, null, List.of()));

        Config newEpoch = withA.withAudit(new Config.Audit(Optional.of(KEY_B), Optional.of(fingerprintA)));
        try (App app = App.create(newEpoch).start()) {
            JsonNode report = get(app, "/api/audit/verify").json();
            assertEquals(2, report.at("/key/epoch").asInt(), report.toString());
            assertNotEquals(fingerprintA, report.at("/key/fingerprint").asText());
            // What was sealed, or waiting, under A is counted, not checked: this server cannot check it.
            assertTrue(report.at("/organization/valid").asBoolean(), report.toString());
            assertTrue(report.at("/organization/earlierKey").asInt() >= 2, report.toString());
            assertEquals("earlier-key", get(app, "/api/audit?entityId=left-waiting").json()
                    .at("/items/0/entryCheck").asText());
            JsonNode started = get(app, "/api/audit?action=audit.key_epoch_started").json().get("items");
            assertEquals(2, started.size(), started.toString());
            assertEquals(fingerprintA, started.get(0).at("/after/previousFingerprint").asText());

            // Only at the start of the epoch: later, an entry claiming the old key is a forgery.
            long forged = database.withHandle(h -> h.createQuery("""
                    insert into audit_log (organization_id, actor, action, entity_type, entity_id, key_epoch, entry_mac)
                    values (?, 'pat', 'blueprint.deleted', 'blueprint', 'claims-key-a', 1, ?) returning id
                    """).bind(0, org).bind(1, "cd".repeat(32)).mapTo(Long.class).one());
            JsonNode broken = Awaitility.await().atMost(Duration.ofSeconds(15))
                    .until(() -> get(app, "/api/audit/verify").json(), r -> r.at("/organization/unsealed").asInt() == 0);
            assertEquals(forged, broken.at("/organization/firstBrokenEntry/id").asLong(), broken.toString());
        }
        try (App app = App.create(newEpoch).start()) {
            assertEquals(2, get(app, "/api/audit/verify").json().at("/key/epoch").asInt(), "the flag left set is harmless");
        }
        assertTrue(refusal(withA).contains("(epoch 2, fingerprint " + AuditKey.of(KEY_B, 1).shortFingerprint()),
                "key A is not current any more");
    }

    @Test
    void a_short_key_is_refused_without_showing_it() {
        String shortKey = "too-short-secret";
        TestDatabase.Target database = TestDatabase.newSchema("auditkeyshort");
        String message = refusal(Config.defaults().withWarmUp(java.time.Duration.ZERO).withPort(0)
                .withDatabase(database.url(), database.user(), database.password())
                .withDataDir(TestServer.tempDir("af-short")).withAudit(keyed(shortKey)));
        assertEquals("the audit key from AF_AUDIT_KEY is unusable: must be at least 32 characters", message);
    }

    @Test
    void the_key_is_never_logged_nor_shown_in_a_message() throws IOException {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        List<String> seen = new ArrayList<>();
        String generated;
        try {
            Config withA;
            try (TestServer server = TestServer.start("auditkeylogs", c -> c.withAudit(keyed(KEY_A)))) {
                withA = server.config();
                seen.add(withA.toString());
            }
            seen.add(refusal(withA.withAudit(keyed(KEY_B))));
            seen.add(refusal(withA.withAudit(new Config.Audit(Optional.of(KEY_B), Optional.of(KEY_A)))));
            try (TestServer server = TestServer.start("auditkeylogs2")) {
                generated = Files.readString(server.config().dataDir().resolve("audit-key")).trim();
            }
        } finally {
            root.detachAppender(captured);
        }
        for (ILoggingEvent event : captured.list) {
            seen.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                seen.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }
        assertTrue(captured.list.stream().anyMatch(e -> e.getFormattedMessage().startsWith("audit key: epoch 1")),
                "the log says which key is used, by fingerprint");
        for (String text : seen) {
            for (String secret : List.of(KEY_A, KEY_B, generated)) {
                assertFalse(text.contains(secret), "a key in: " + text);
            }
        }
    }

    static Config.Audit keyed(String key) {
        return new Config.Audit(Optional.of(key), Optional.empty());
    }

    /** The one-line message a server that may not start gives. */
    private static String refusal(Config config) {
        return assertThrows(IllegalStateException.class, () -> App.create(config)).getMessage();
    }

    private static JsonNode verify(TestServer server) {
        return server.get("/api/audit/verify", TestServer.ADMIN_TOKEN).json();
    }

    static HttpResult get(App app, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        return new HttpResult(response.statusCode(), response.headers(), response.body());
    }
}
