package dev.agentfactory.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.agentfactory.support.DatabaseOwner;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * A database failure is logged as one line with its SQLState and PostgreSQL's short message: no
 * statement, no bound argument, no row echoed back by PostgreSQL — on a request and in background
 * work alike — and the client gets the usual 500 JSON.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseErrorLogTest {
    private static final String SECRET = "org-name-that-must-not-be-logged";

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Logger root;
    private TestServer server;

    @BeforeAll
    void start() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        captured.start();
        root.addAppender(captured);
        server = TestServer.start("db_error_log");
    }

    @AfterAll
    void stop() {
        server.close();
        root.detachAppender(captured);
    }

    @BeforeEach
    void forget() {
        captured.list.clear();
    }

    /** Every captured line as it would be written, message and stack trace (with every cause's message). */
    private List<String> lines() {
        synchronized (captured) {
            return List.copyOf(captured.list).stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())))
                    .toList();
        }
    }

    private static void assertNothingLeaks(List<String> lines) {
        for (String line : lines) {
            String lower = line.toLowerCase();
            assertFalse(lower.contains("insert into") || lower.contains("select ") || lower.contains("statement:")
                    || lower.contains("arguments:"), "a statement in the log: " + line);
            assertFalse(line.contains(SECRET) || line.contains("Failing row"), "a value in the log: " + line);
        }
    }

    @Test
    void a_failed_insert_logs_its_sqlstate_and_nothing_of_the_statement() {
        DatabaseOwner.of(server).useHandle(h -> h.execute(
                "alter table organizations add constraint test_refuses_this_name check (name <> '" + SECRET + "')"));

        HttpResult result = server.post("/api/organizations", TestServer.ADMIN_TOKEN, Map.of("name", SECRET));

        assertEquals(500, result.status(), result.body());
        assertEquals("internal_error", result.json().at("/error/code").asText(), result.body());
        assertFalse(result.body().contains(SECRET) || result.body().toLowerCase().contains("insert"), result.body());
        List<String> lines = lines();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("ERROR ") && l.contains("POST /api/organizations")
                && l.contains("database error 23514") && l.contains("violates check constraint")), lines.toString());
        assertNothingLeaks(lines);
        long stored = server.jdbi().withHandle(h -> h.createQuery("select count(*) from organizations where name = :n")
                .bind("n", SECRET).mapTo(Long.class).one());
        assertEquals(0, stored);
    }

    @Test
    void background_work_that_fails_in_the_database_logs_one_line() {
        DatabaseOwner.of(server).useHandle(h -> h.execute("alter table outbox rename to outbox_gone"));
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lines().stream()
                    .anyMatch(l -> l.contains("webhooks failed") && l.contains("database error 42P01")));
            List<String> lines = lines();
            assertNothingLeaks(lines);
            assertTrue(lines.stream().filter(l -> l.contains("webhooks failed")).allMatch(l -> l.lines().count() == 1),
                    "no stack trace at warn: " + lines);
        } finally {
            DatabaseOwner.of(server).useHandle(h -> h.execute("alter table outbox_gone rename to outbox"));
        }
    }
}
