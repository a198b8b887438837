package dev.agentfactory.rules;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.support.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A refused rule file, seen through the rules status and /health until it is fixed or deleted; a
 * parser error comes with a plain sentence; a deleted file is logged like a changed one.
 */
class RefusalFeedbackTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SENSITIVE = "$type : String( this in (\"ProcessPayment\", \"DeleteContact\", \"UpdateCRM\") )";

    private Path rules;
    private TestServer server;
    private String compliance;
    private ListAppender<ILoggingEvent> logs;

    @BeforeEach
    void start() {
        rules = RulesFolder.copyOfShipped();
        server = TestServer.start("refusal", c -> c.withRulesDir(rules));
        compliance = server.token(server.defaultOrganizationId(), "carla", "COMPLIANCE");
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(RulesWatcher.class)).addAppender(logs);
        ((Logger) LoggerFactory.getLogger(BundlePublisher.class)).addAppender(logs);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(RulesWatcher.class)).detachAppender(logs);
        ((Logger) LoggerFactory.getLogger(BundlePublisher.class)).detachAppender(logs);
        server.close();
    }

    @Test
    void a_refusal_shows_as_on_disk_and_degraded_until_the_file_is_fixed() throws IOException {
        Path security = rules.resolve("blueprint/security.drl");
        String good = Files.readString(security);
        HttpResult healthy = server.get("/health", null);
        assertEquals("UP", healthy.json().get("status").asText(), healthy.body());

        RulesFolder.write(security, good.replace(SENSITIVE, SENSITIVE.substring(0, SENSITIVE.length() - 2)));
        JsonNode status = await().atMost(WAIT).until(this::status, s -> s.path("lastRefusalState").path("onDisk").asBoolean());

        assertFalse(status.at("/lastRefusalState/resolved").asBoolean(), status.toString());
        assertTrue(status.at("/lastRefusalState/note").asText().startsWith("still on disk"), status.toString());
        JsonNode error = status.at("/lastRefusal/errors/0");
        assertTrue(error.get("message").asText().contains("mismatched input 'from'"), error.toString());
        assertTrue(error.get("hint").asText().startsWith("a ')' is probably missing before 'from'"), error.toString());
        HttpResult degraded = server.get("/health", null);
        assertEquals(200, degraded.status(), "a refused set degrades the server, it stays ready");
        assertEquals("DEGRADED", degraded.json().get("status").asText(), degraded.body());
        assertTrue(degraded.json().get("ready").asBoolean());
        assertEquals(status.at("/lastRefusal/version").asText(), degraded.json().at("/refused/version").asText());

        RulesFolder.write(security, good.replace("sensitive action", "sensitive action (fixed)"));
        status = await().atMost(WAIT).until(this::status, s -> s.path("lastRefusalState").path("resolved").asBoolean());

        assertFalse(status.at("/lastRefusalState/onDisk").asBoolean(), status.toString());
        assertTrue(status.at("/lastRefusalState/note").asText().startsWith("resolved: bundle " + status.get("version").asText()),
                status.toString());
        HttpResult upAgain = server.get("/health", null);
        assertEquals("UP", upAgain.json().get("status").asText(), upAgain.body());
        assertTrue(upAgain.json().path("refused").isMissingNode(), upAgain.body());
    }

    @Test
    void deleting_the_broken_file_resolves_the_refusal_and_is_logged() throws IOException {
        String serving = status().get("version").asText();
        Path extra = rules.resolve("blueprint/extra.drl");
        RulesFolder.write(extra, "package blueprint.extra;\n\nrule \"BP-EXT-001 broken\"\nwhen\n    eval(true\nthen\nend\n");
        await().atMost(WAIT).until(this::status, s -> s.path("lastRefusalState").path("onDisk").asBoolean());

        Files.delete(extra);
        JsonNode status = await().atMost(WAIT).until(this::status, s -> s.path("lastRefusalState").path("resolved").asBoolean());

        assertEquals(serving, status.get("version").asText(), "the folder holds the serving bundle again");
        await().atMost(WAIT).until(() -> messages().contains("rules folder " + rules + " changed: blueprint/extra.drl deleted"));
        assertTrue(messages().contains("rules folder " + rules + " changed: blueprint/extra.drl created"), messages());
        await().atMost(WAIT).until(() -> messages().contains("rules folder " + rules + " holds the active policy bundle "
                + serving));
        assertEquals("UP", server.get("/health", null).json().get("status").asText());
    }

    private JsonNode status() {
        return server.get("/api/rules/status", compliance).json();
    }

    private String messages() {
        return String.join("\n", logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }
}
