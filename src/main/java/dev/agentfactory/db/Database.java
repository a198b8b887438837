package dev.agentfactory.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentfactory.Config;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
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
 * {@code migrations/} (packed into the jar) are applied on open, as the configured user (the owner);
 * the server then works as the role {@code AF_DB_APP_ROLE} (see {@link AppRole}).
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final EmbeddedDatabase embedded;
    private final HikariDataSource dataSource;
    private final Optional<String> appRole;
    private final Jdbi jdbi;

    private Database(EmbeddedDatabase embedded, HikariDataSource dataSource, Optional<String> appRole) {
        this.embedded = embedded;
        this.dataSource = dataSource;
        this.appRole = appRole;
        this.jdbi = Jdbi.create(dataSource)
                .installPlugin(new SqlObjectPlugin())
                .installPlugin(new PostgresPlugin());
    }

    public static Database open(Config config, io.micrometer.core.instrument.MeterRegistry metrics) {
        EmbeddedDatabase embedded = config.embeddedDatabase() ? EmbeddedDatabase.start(config.dataDir()) : null;
        String url = embedded != null ? embedded.jdbcUrl() : config.dbUrl().orElseThrow();
        String user = embedded != null ? "postgres" : config.dbUser();
        String password = embedded != null ? embedded.password() : config.dbPassword();
        try {
            try (HikariDataSource owner = pool(url, user, password, "agent-factory-owner", 2, Optional.empty(), null)) {
                migrate(owner);
                setUpRole(owner, user, config.dbAppRole());
            }
            HikariDataSource dataSource = pool(url, user, password, "agent-factory", config.dbPoolSize(),
                    config.dbAppRole(), metrics);
            return new Database(embedded, dataSource, config.dbAppRole());
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /** Connections as {@code user}, each switched to {@code role} when there is one. */
    private static HikariDataSource pool(String url, String user, String password, String name, int size,
                                         Optional<String> role, io.micrometer.core.instrument.MeterRegistry metrics) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        hikari.setUsername(user);
        hikari.setPassword(password);
        hikari.setMaximumPoolSize(size);
        hikari.setPoolName(name);
        role.ifPresent(r -> hikari.setConnectionInitSql(AppRole.setRole(r)));
        if (metrics != null) {
            hikari.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(metrics));
        }
        // Fail fast when the database is gone: /health answers 503 instead of hanging.
        hikari.setConnectionTimeout(3_000);
        hikari.setValidationTimeout(1_000);
        // Start even if the database answers a little later; requests get 503 until it does.
        hikari.setInitializationFailTimeout(30_000);
        try {
            return new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot connect to PostgreSQL at " + url + ": " + e.getMessage(), e);
        }
    }

    private static void migrate(DataSource owner) {
        var result = Flyway.configure()
                .dataSource(owner)
                .locations("classpath:migrations")
                .load()
                .migrate();
        log.info("database schema at version {} ({} migrations applied now)",
                result.targetSchemaVersion == null ? "current" : result.targetSchemaVersion, result.migrationsExecuted);
    }

    private static void setUpRole(DataSource owner, String user, Optional<String> role) {
        if (role.isEmpty()) {
            log.warn("AF_DB_APP_ROLE is empty: the server works as the database user {}, which may update and delete "
                    + "audit rows (only the triggers stand in the way)", user);
            return;
        }
        try (Connection connection = owner.getConnection()) {
            AppRole.ensure(connection, role.get());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set up the database role " + role.get() + " as " + user + " ("
                    + e.getMessage().lines().findFirst().orElse("") + "): create it (CREATE ROLE " + role.get()
                    + " NOLOGIN; GRANT " + role.get() + " TO " + user + ";), or set AF_DB_APP_ROLE= to work as " + user);
        }
        log.info("the server works as the database role {}: it may not update or delete audit rows", role.get());
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Where and as whom this server connects (the embedded database included), password and all: keep it in memory. */
    public record Login(String url, String user, String password) {
        @Override
        public String toString() {
            return "Login[url=" + url + ", user=" + user + "]";
        }
    }

    public Login login() {
        return new Login(dataSource.getJdbcUrl(), dataSource.getUsername(), dataSource.getPassword());
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** A connection outside the pool, for a listener that holds it for good (LISTEN/NOTIFY). */
    public Connection newConnection() {
        try {
            Connection connection = ownerConnection();
            if (appRole.isPresent()) {
                try (var statement = connection.createStatement()) {
                    statement.execute(AppRole.setRole(appRole.get()));
                } catch (SQLException e) {
                    connection.close();
                    throw e;
                }
            }
            return connection;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open a connection to " + dataSource.getJdbcUrl(), e);
        }
    }

    /**
     * VACUUMs one of the server's own tables, as the owner on a connection of its own: only the owner
     * may, and never in a transaction. For a queue whose rows are deleted as fast as they come, which
     * autovacuum (off on some servers, and at most once a minute on others) leaves to bloat. A table
     * locked by someone else (another server vacuuming it) is skipped, not waited for.
     *
     * @throws IllegalStateException when it could not, PostgreSQL's reason in the message
     */
    public void vacuum(String table) {
        if (!table.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        try (Connection connection = ownerConnection(); var statement = connection.createStatement()) {
            statement.execute("set statement_timeout = '30s'");
            statement.execute("vacuum (skip_locked) " + table);
            // a login that does not own the table is only warned ("skipping ..."), not refused;
            // a table locked elsewhere (55P03) is left to whoever holds it
            java.sql.SQLWarning warning = statement.getWarnings();
            if (warning != null && !"55P03".equals(warning.getSQLState())) {
                throw new IllegalStateException(warning.getMessage());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A connection outside the pool as the configured login itself, not switched to the app role. */
    private Connection ownerConnection() throws SQLException {
        return java.sql.DriverManager.getConnection(dataSource.getJdbcUrl(), dataSource.getUsername(),
                dataSource.getPassword());
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
