package dev.agentfactory.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.agentfactory.App;
import dev.agentfactory.Config;
import dev.agentfactory.support.PostgresProcesses;
import dev.agentfactory.support.TestDatabase;
import dev.agentfactory.support.TestServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What a server says when it starts, and how a second server on the same port or data folder fails. */
class StartUpChecksTest {
    @TempDir
    Path dataDir;

    @Test
    void start_up_logs_the_absolute_rules_folder_data_folder_and_database() {
        ListAppender<ILoggingEvent> logs = capture();
        TestDatabase.Target db = TestDatabase.newSchema("startlog");
        Path relativeRules = Path.of("rules");
        try (App app = App.create(Config.defaults().withWarmUp(java.time.Duration.ZERO).withPort(0).withDatabase(db.url(), db.user(), db.password())
                .withDataDir(dataDir).withRulesDir(relativeRules).withAdminToken(TestServer.ADMIN_TOKEN))) {
            String line = logs.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.startsWith("Agent Factory starting")).findFirst().orElseThrow();
            assertTrue(line.contains("rules folder " + relativeRules.toAbsolutePath().normalize() + " (watched)"), line);
            assertTrue(line.contains("data folder " + dataDir.toAbsolutePath()), line);
            assertTrue(line.contains("database jdbc:postgresql://") && line.contains(" as user " + db.user()), line);
            assertTrue(!line.contains("currentSchema") && !line.contains("password"), "no URL parameters: " + line);
        } finally {
            ((Logger) LoggerFactory.getLogger(App.class)).detachAppender(logs);
        }
    }

    @Test
    void a_second_server_on_the_same_port_fails_before_any_database_work_or_admin_token() throws Exception {
        TestDatabase.Target db = TestDatabase.newSchema("portinuse");
        try (ServerSocket first = new ServerSocket()) {
            first.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = first.getLocalPort();
            Config config = Config.defaults().withWarmUp(java.time.Duration.ZERO).withPort(port).withDatabase(db.url(), db.user(), db.password())
                    .withDataDir(dataDir).withRulesDir(Path.of("rules"));

            long started = System.nanoTime();
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> App.create(config).close());

            assertTrue(refused.getMessage().startsWith("port " + port + " on 127.0.0.1 is in use"), refused.getMessage());
            assertTrue((System.nanoTime() - started) / 1_000_000 < 2_000, "fails at once");
            assertEquals(List.of(), files(dataDir), "no admin token, no audit key");
            try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
                 ResultSet tables = connection.getMetaData().getTables(null, db.schema(), "%", null)) {
                assertTrue(!tables.next(), "no migration ran in " + db.schema());
            }
        }
    }

    @Test
    void a_second_server_on_the_same_data_folder_fails_before_writing_an_admin_token() throws Exception {
        Path pgData = dataDir.resolve("postgres");
        try (EmbeddedDatabase first = EmbeddedDatabase.start(dataDir)) {
            List<Path> before = files(dataDir);

            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> App.create(Config.defaults().withWarmUp(java.time.Duration.ZERO).withPort(0).withDataDir(dataDir).withRulesDir(Path.of("rules")))
                            .close());

            assertTrue(refused.getMessage().startsWith("another Agent Factory server is using " + dataDir),
                    refused.getMessage());
            assertEquals(before, files(dataDir), "nothing written: no admin token, no audit key");
        } finally {
            PostgresProcesses.kill(pgData);
        }
    }

    private static List<Path> files(Path dir) throws java.io.IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.map(Path::getFileName).sorted().toList();
        }
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(App.class)).addAppender(appender);
        return appender;
    }
}
