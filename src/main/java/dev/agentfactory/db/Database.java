package dev.agentfactory.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentfactory.Config;
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

    private final EmbeddedDatabase embedded;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(EmbeddedDatabase embedded, HikariDataSource dataSource) {
        this.embedded = embedded;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource)
                .installPlugin(new SqlObjectPlugin())
                .installPlugin(new PostgresPlugin());
    }

    public static Database open(Config config, io.micrometer.core.instrument.MeterRegistry metrics) {
        EmbeddedDatabase embedded = config.embeddedDatabase() ? EmbeddedDatabase.start(config.dataDir()) : null;
        String url = embedded != null ? embedded.jdbcUrl() : config.dbUrl().orElseThrow();
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
            if (embedded != null) {
                embedded.close();
            }
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
        if (embedded != null) {
            embedded.close();
        }
    }
}
