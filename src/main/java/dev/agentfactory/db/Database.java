package dev.agentfactory.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentfactory.Config;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL the server runs on: the one at {@code AF_DB_URL}, or an embedded PostgreSQL 15
 * whose data lives in {@code <data dir>/postgres} and survives restarts. Migrations from
 * {@code migrations/} (packed into the jar) are applied on open.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final EmbeddedPostgres embedded;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(EmbeddedPostgres embedded, HikariDataSource dataSource) {
        this.embedded = embedded;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource)
                .installPlugin(new SqlObjectPlugin())
                .installPlugin(new PostgresPlugin());
    }

    public static Database open(Config config, io.micrometer.core.instrument.MeterRegistry metrics) {
        EmbeddedPostgres embedded = config.embeddedDatabase() ? startEmbedded(config.dataDir()) : null;
        String url = embedded != null ? embedded.getJdbcUrl("postgres", "postgres") : config.dbUrl().orElseThrow();
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        hikari.setUsername(embedded != null ? "postgres" : config.dbUser());
        hikari.setPassword(embedded != null ? "" : config.dbPassword());
        hikari.setMaximumPoolSize(config.dbPoolSize());
        hikari.setPoolName("agent-factory");
        hikari.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(metrics));
        // Fail fast when the database is gone: /health answers 503 instead of hanging.
        hikari.setConnectionTimeout(3_000);
        hikari.setValidationTimeout(1_000);
        // Start even if the database answers a little later; requests get 503 until it does.
        hikari.setInitializationFailTimeout(30_000);
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            closeQuietly(embedded);
            throw new IllegalStateException("cannot connect to PostgreSQL at " + url + ": " + e.getMessage(), e);
        }
        Database database = new Database(embedded, dataSource);
        try {
            database.migrate();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    private static EmbeddedPostgres startEmbedded(Path dataDir) {
        Path pgData = dataDir.resolve("postgres").toAbsolutePath();
        try {
            Files.createDirectories(pgData);
            log.info("starting embedded PostgreSQL in {}", pgData);
            return EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("timezone", "UTC")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + pgData, e);
        }
    }

    private void migrate() {
        var result = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:migrations")
                .load()
                .migrate();
        log.info("database schema at version {} ({} migrations applied now)",
                result.targetSchemaVersion == null ? "current" : result.targetSchemaVersion, result.migrationsExecuted);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** A connection outside the pool, for a listener that holds it for good (LISTEN/NOTIFY). */
    public Connection newConnection() {
        try {
            return java.sql.DriverManager.getConnection(dataSource.getJdbcUrl(), dataSource.getUsername(),
                    dataSource.getPassword());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open a connection to " + dataSource.getJdbcUrl(), e);
        }
    }

    /** True when a connection answers within a second. */
    public boolean isUp() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
        closeQuietly(embedded);
    }

    private static void closeQuietly(EmbeddedPostgres embedded) {
        if (embedded == null) {
            return;
        }
        try {
            embedded.close();
        } catch (IOException e) {
            log.warn("could not stop the embedded PostgreSQL cleanly", e);
        }
    }
}
