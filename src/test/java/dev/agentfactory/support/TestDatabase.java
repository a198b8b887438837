package dev.agentfactory.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL the tests use: {@code AF_TEST_DB_URL} when set, else the local server at
 * 127.0.0.1:5432/test as postgres, else an embedded one started once per JVM. Each test class
 * gets its own schema, so classes never see each other's rows.
 */
public final class TestDatabase {
    private static final String LOCAL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static String baseUrl;
    private static String user;
    private static String password;
    private static EmbeddedPostgres embedded;

    private TestDatabase() {
    }

    public record Target(String url, String user, String password, String schema) {
    }

    /** A fresh, empty schema for one test class. */
    public static synchronized Target newSchema(String hint) {
        init();
        String schema = ("t_" + hint.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT) + "_"
                + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet());
        try (Connection connection = DriverManager.getConnection(baseUrl, properties());
             Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + schema + " cascade");
            statement.execute("create schema " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test schema " + schema, e);
        }
        String url = baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new Target(url, user, password, schema);
    }

    private static void init() {
        if (baseUrl != null) {
            return;
        }
        String configured = System.getenv("AF_TEST_DB_URL");
        user = System.getenv().getOrDefault("AF_TEST_DB_USER", "postgres");
        password = System.getenv().getOrDefault("AF_TEST_DB_PASSWORD", "");
        if (configured != null && !configured.isBlank()) {
            baseUrl = configured;
        } else if (answers(LOCAL)) {
            baseUrl = LOCAL;
        } else {
            startEmbedded();
        }
        System.out.println("[tests] PostgreSQL at " + baseUrl);
    }

    private static boolean answers(String url) {
        DriverManager.setLoginTimeout(3);
        try (Connection ignored = DriverManager.getConnection(url, properties())) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static void startEmbedded() {
        try {
            embedded = EmbeddedPostgres.builder()
                    .setDataDirectory(Files.createTempDirectory("af-test-pg"))
                    .setCleanDataDirectory(true)
                    .start();
            baseUrl = embedded.getJdbcUrl("postgres", "postgres");
            user = "postgres";
            password = "";
        } catch (IOException e) {
            throw new UncheckedIOException("no PostgreSQL at " + LOCAL + " and the embedded one did not start", e);
        }
    }

    private static Properties properties() {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return properties;
    }
}
