package dev.agentfactory.db;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentfactory.support.ChildJvm;
import dev.agentfactory.support.PostgresProcesses;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One server per data folder: a second one, in this JVM or another process, fails fast and harms nothing. */
class DataFolderLockTest {
    @TempDir
    Path dataDir;
    private Path pgData;

    @BeforeEach
    void dataFolder() {
        pgData = dataDir.resolve("postgres");
    }

    @AfterEach
    void nothingOfOursRuns() {
        PostgresProcesses.kill(pgData);
    }

    @Test
    void a_second_start_on_a_folder_this_jvm_uses_fails_fast_and_touches_nothing() throws Exception {
        try (EmbeddedDatabase first = EmbeddedDatabase.start(dataDir)) {
            long postmaster = PostgresProcesses.pidInPidFile(pgData);

            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> EmbeddedDatabase.start(dataDir).close());

            assertTrue(refused.getMessage().startsWith("another Agent Factory server is using " + dataDir),
                    refused.getMessage());
            // Refusing must not have dropped the first one's file lock, which guards it from other processes.
            try (ChildJvm other = ChildJvm.start(EmbeddedDatabaseChild.class, Map.of(), dataDir.toString())) {
                assertEquals(1, other.waitForExit(), other.output());
                assertTrue(other.output().contains("another Agent Factory server is using " + dataDir), other.output());
            }
            assertEquals(postmaster, PostgresProcesses.pidInPidFile(pgData));
            try (Connection connection = DriverManager.getConnection(first.jdbcUrl())) {
                assertTrue(connection.isValid(2));
            }
        }
        try (EmbeddedDatabase again = EmbeddedDatabase.start(dataDir);
             Connection connection = DriverManager.getConnection(again.jdbcUrl())) {
            assertTrue(connection.isValid(2), "free again once the first stopped");
        }
    }

    @Test
    void a_start_on_a_folder_another_process_uses_fails_fast_and_touches_nothing() throws Exception {
        try (ChildJvm server = ChildJvm.start(EmbeddedDatabaseChild.class, Map.of(), dataDir.toString())) {
            String url = EmbeddedDatabaseChild.awaitReady(server);
            long postmaster = PostgresProcesses.pidInPidFile(pgData);

            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> EmbeddedDatabase.start(dataDir).close());

            assertTrue(refused.getMessage().startsWith("another Agent Factory server is using " + dataDir),
                    refused.getMessage());
            assertEquals(postmaster, PostgresProcesses.pidInPidFile(pgData));
            try (Connection connection = DriverManager.getConnection(url)) {
                assertTrue(connection.isValid(2), "the live server's PostgreSQL still answers");
            }
        }
    }

    @Test
    void two_servers_starting_at_once_on_a_fresh_folder_one_runs_and_the_other_fails_fast() throws Exception {
        try (ChildJvm one = ChildJvm.start(EmbeddedDatabaseChild.class, Map.of(), dataDir.toString());
             ChildJvm other = ChildJvm.start(EmbeddedDatabaseChild.class, Map.of(), dataDir.toString())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !one.isAlive() || !other.isAlive());
            ChildJvm loser = one.isAlive() ? other : one;
            ChildJvm winner = one.isAlive() ? one : other;
            assertEquals(1, loser.waitForExit());
            assertTrue(loser.output().contains("another Agent Factory server is using " + dataDir), loser.output());
            try (Connection connection = DriverManager.getConnection(EmbeddedDatabaseChild.awaitReady(winner))) {
                assertTrue(connection.isValid(2));
            }
        }
    }
}
