package dev.agentfactory.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentfactory.support.PostgresProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * zonky's initdb lets every local user connect to the embedded PostgreSQL as its superuser (trust on
 * 127.0.0.1 and the socket): any account on the machine was the database owner and could, say, insert
 * an admin token for itself. Now only the password in {@code <data dir>/db-password} gets in.
 */
class EmbeddedAuthTest {
    @TempDir
    Path dataDir;

    @AfterEach
    void nothingOfOursRuns() {
        PostgresProcesses.kill(dataDir.resolve("postgres"));
    }

    /** The URL a local user who knows the port would try: the superuser, no password. */
    private static String withoutPassword(EmbeddedDatabase database) {
        return database.jdbcUrl().replaceAll("&password=[^&]*", "");
    }

    private static void assertRefused(String url) {
        SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(url).close());
        // 28P01: wrong password; 08004: the server asked for one and none was given
        assertTrue(java.util.Set.of("28P01", "08004").contains(refused.getSQLState()),
                refused.getSQLState() + " " + refused.getMessage());
    }

    @Test
    void only_the_generated_password_lets_anyone_in_from_the_first_start_on() throws Exception {
        try (EmbeddedDatabase first = EmbeddedDatabase.start(dataDir)) {
            assertRefused(withoutPassword(first));
            assertRefused(withoutPassword(first) + "&password=postgres");
            try (Connection connection = DriverManager.getConnection(first.jdbcUrl())) {
                assertTrue(connection.isValid(2));
            }
        }
        Path file = dataDir.resolve(EmbeddedAuth.PASSWORD_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        try (EmbeddedDatabase again = EmbeddedDatabase.start(dataDir)) {
            assertRefused(withoutPassword(again));
            try (Connection connection = DriverManager.getConnection(again.jdbcUrl())) {
                assertTrue(connection.isValid(2), "the same password after a restart");
            }
        }
    }

    @Test
    void a_folder_an_earlier_version_left_under_trust_is_switched_to_the_password() throws Exception {
        Path pgData = dataDir.resolve("postgres");
        try (io.zonky.test.db.postgres.embedded.EmbeddedPostgres trusting = io.zonky.test.db.postgres.embedded
                .EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).start();
             Connection anyone = DriverManager.getConnection(trusting.getJdbcUrl("postgres", "postgres"))) {
            assertTrue(anyone.isValid(2), "the control: zonky's own folder lets anyone in");
        }

        try (EmbeddedDatabase upgraded = EmbeddedDatabase.start(dataDir)) {
            assertRefused(withoutPassword(upgraded));
            try (Connection connection = DriverManager.getConnection(upgraded.jdbcUrl())) {
                assertTrue(connection.isValid(2));
            }
        }
        try (EmbeddedDatabase again = EmbeddedDatabase.start(dataDir)) {
            assertRefused(withoutPassword(again));
        }
    }

    @Test
    void a_lost_password_file_is_named_instead_of_replaced() throws Exception {
        EmbeddedDatabase.start(dataDir).close();
        Files.delete(dataDir.resolve(EmbeddedAuth.PASSWORD_FILE));

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> EmbeddedDatabase.start(dataDir).close());

        assertTrue(refused.getMessage().contains("db-password is missing"), refused.getMessage());
    }
}
