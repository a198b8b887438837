package dev.agentfactory.db;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentfactory.support.ChildJvm;
import dev.agentfactory.support.PostgresProcesses;
import dev.agentfactory.support.TestDatabase;
import dev.agentfactory.support.TestServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a start finds in the data folder after a crash: the PostgreSQL of the killed server still
 * running, a stale or damaged postmaster.pid, someone else's PostgreSQL. Each case
 * drives {@link EmbeddedDatabase} on a real folder with real processes.
 */
class OrphanedPostgresTest {
    private static final int ROWS = 100;

    /** Someone else's PostgreSQL, same user, another folder: it must survive every test here. */
    private static EmbeddedPostgres unrelated;
    private static long unrelatedPid;

    @TempDir
    Path dataDir;
    private Path pgData;

    @BeforeAll
    static void startUnrelatedPostgres() throws IOException {
        Path folder = TestServer.tempDir("af-unrelated-pg");
        unrelated = EmbeddedPostgres.builder().setDataDirectory(folder).setCleanDataDirectory(true).start();
        unrelatedPid = PostgresProcesses.pidInPidFile(folder);
    }

    @AfterAll
    static void stopUnrelatedPostgres() throws IOException {
        unrelated.close();
    }

    @BeforeEach
    void dataFolder() {
        pgData = dataDir.resolve("postgres");
    }

    @AfterEach
    void unrelatedPostgresSurvivedAndNothingOfOursRuns() throws SQLException {
        PostgresProcesses.kill(pgData);
        assertTrue(ProcessHandle.of(unrelatedPid).map(ProcessHandle::isAlive).orElse(false));
        try (Connection connection = unrelated.getPostgresDatabase().getConnection()) {
            assertTrue(connection.isValid(2), "someone else's PostgreSQL still answers");
        }
    }

    @Test
    void postgres_left_running_by_a_killed_server_is_stopped_and_every_committed_row_is_kept() throws Exception {
        long orphan;
        try (ChildJvm server = ChildJvm.start(EmbeddedDatabaseChild.class, Map.of(), dataDir.toString())) {
            insertRows(EmbeddedDatabaseChild.awaitReady(server));
            assertEquals(137, server.kill(), "SIGKILL: no shutdown hook ran");
        }
        orphan = PostgresProcesses.pidInPidFile(pgData);
        assertTrue(isAlive(orphan), "the killed server's PostgreSQL runs on without it");

        // An operator's session on the orphan: a smart shutdown (SIGTERM) would wait for it to end.
        try (Connection operator = DriverManager.getConnection(jdbcUrlOf(orphan))) {
            long started = System.nanoTime();
            try (EmbeddedDatabase restarted = EmbeddedDatabase.start(dataDir)) {
                assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 20,
                        "a fast shutdown, not the kill after the deadline");
                assertFalse(isAlive(orphan));
                assertEquals(ROWS, countRows(restarted.jdbcUrl()));
            }
            assertFalse(operator.isValid(1), "the fast shutdown ended the operator's session");
        }
        assertEquals(List.of(), PostgresProcesses.on(pgData), "close stops our PostgreSQL");
    }

    @Test
    void a_pid_file_naming_a_postgres_that_no_longer_runs_is_left_to_postgres() throws Exception {
        try (ChildJvm server = ChildJvm.start(EmbeddedDatabaseChild.class, Map.of(), dataDir.toString())) {
            insertRows(EmbeddedDatabaseChild.awaitReady(server));
            server.kill();
        }
        // The OOM killer takes PostgreSQL too: its postmaster and every backend.
        long dead = PostgresProcesses.pidInPidFile(pgData);
        PostgresProcesses.kill(pgData);
        // Until the postmaster is reaped: a zombie still counts as a live pid, for PostgreSQL too.
        await().atMost(Duration.ofSeconds(10)).until(() -> !isAlive(dead) && PostgresProcesses.on(pgData).isEmpty());
        assertEquals(dead, PostgresProcesses.pidInPidFile(pgData), "the stale pid file is still there");

        try (EmbeddedDatabase restarted = EmbeddedDatabase.start(dataDir)) {
            assertEquals(ROWS, countRows(restarted.jdbcUrl()), "recovered from the write-ahead log");
        }
    }

    @Test
    void a_pid_file_naming_a_live_process_that_is_not_postgres_is_removed_and_the_process_left_alone()
            throws Exception {
        initializeFolder();
        Process unrelatedProcess = new ProcessBuilder("sleep", "60").start();
        try {
            writePidFile(unrelatedProcess.pid());
            try (EmbeddedDatabase started = EmbeddedDatabase.start(dataDir)) {
                assertEquals(ROWS, countRows(started.jdbcUrl()));
            }
            assertTrue(unrelatedProcess.isAlive());
        } finally {
            unrelatedProcess.destroyForcibly();
        }
    }

    @Test
    void a_pid_file_naming_someone_elses_postgres_leaves_that_postgres_alone() throws Exception {
        initializeFolder();
        writePidFile(unrelatedPid);
        try (EmbeddedDatabase started = EmbeddedDatabase.start(dataDir)) {
            assertEquals(ROWS, countRows(started.jdbcUrl()));
        }
        // @AfterEach checks that it still runs and answers.
    }

    @Test
    void a_pid_file_naming_a_postgres_backend_of_the_test_database_leaves_it_alone() throws Exception {
        initializeFolder();
        TestDatabase.Target target = TestDatabase.newSchema("orphan_other_owner");
        try (Connection other = DriverManager.getConnection(target.url(), target.user(), target.password())) {
            writePidFile(backendPid(other));
            try (EmbeddedDatabase started = EmbeddedDatabase.start(dataDir)) {
                assertEquals(ROWS, countRows(started.jdbcUrl()));
            }
            assertTrue(other.isValid(2), "the other PostgreSQL's session is untouched");
        }
    }

    @Test
    void an_empty_pid_file_left_by_a_crash_is_removed() throws Exception {
        initializeFolder();
        Files.writeString(pgData.resolve(OrphanedPostgres.PID_FILE), "");
        try (EmbeddedDatabase started = EmbeddedDatabase.start(dataDir)) {
            assertEquals(ROWS, countRows(started.jdbcUrl()));
        }
    }

    @Test
    void a_postgres_of_another_user_on_our_folder_is_never_touched_and_the_start_refused(@TempDir Path bin)
            throws Exception {
        assumeTrue("root".equals(ProcessHandle.current().info().user().orElse("")), "needs root to run as nobody");
        initializeFolder();
        // A process called postgres, run by nobody, in our folder: what another user's postmaster looks like.
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path fake = Files.copy(Path.of("/bin/sleep"), bin.resolve("postgres"));
        Process theirs = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                fake.toString(), "60").directory(pgData.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(theirs.pid())
                    .flatMap(p -> p.info().user()).filter("nobody"::equals).isPresent());
            writePidFile(theirs.pid());

            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> EmbeddedDatabase.start(dataDir).close());

            assertTrue(refused.getMessage().contains("a PostgreSQL of user nobody (pid " + theirs.pid() + ")"),
                    refused.getMessage());
            assertTrue(theirs.isAlive());
            assertEquals(theirs.pid(), PostgresProcesses.pidInPidFile(pgData), "its pid file is untouched");
        } finally {
            theirs.destroyForcibly();
        }
    }

    /** A folder with data, stopped cleanly (no pid file). */
    private void initializeFolder() throws SQLException {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir)) {
            insertRows(database.jdbcUrl());
        }
        assertFalse(Files.exists(pgData.resolve(OrphanedPostgres.PID_FILE)));
    }

    /** A postmaster.pid as PostgreSQL writes it, naming {@code pid}. */
    private void writePidFile(long pid) throws IOException {
        Files.writeString(pgData.resolve(OrphanedPostgres.PID_FILE), pid + "\n" + pgData.toRealPath() + "\n"
                + System.currentTimeMillis() / 1000 + "\n5432\n/tmp\nlocalhost\n  0  0\nready   \n");
    }

    private static void insertRows(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("create table acknowledged (id int primary key)");
            for (int i = 1; i <= ROWS; i++) {
                statement.execute("insert into acknowledged values (" + i + ")");
            }
        }
    }

    private static long countRows(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select count(*) from acknowledged")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static long backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("select pg_backend_pid()")) {
            row.next();
            return row.getLong(1);
        }
    }

    private String jdbcUrlOf(long postmaster) throws IOException {
        String port = Files.readAllLines(pgData.resolve(OrphanedPostgres.PID_FILE)).get(3).trim();
        assertEquals(postmaster, PostgresProcesses.pidInPidFile(pgData));
        // an operator knows the superuser's password (EmbeddedAuth)
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres&password="
                + Files.readString(dataDir.resolve(EmbeddedAuth.PASSWORD_FILE)).strip();
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
