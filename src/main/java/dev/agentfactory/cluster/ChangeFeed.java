package dev.agentfactory.cluster;

import dev.agentfactory.db.DatabaseErrors;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the changes other instances (and this one) record in {@link ChangeLog}. A notification
 * wakes it at once; a poll every {@link #BACKSTOP} catches what a lost notification or a dropped
 * listening connection missed; after the listening connection is re-established every reconciler
 * runs, as at start-up. Handlers run one at a time on the feed's thread, in change order: they must
 * be quick (long work, such as compiling a bundle, goes to the handler's own thread) and idempotent.
 */
public final class ChangeFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
    static final Duration BACKSTOP = Duration.ofSeconds(1);
    private static final int BATCH = 500;

    private final Jdbi jdbi;
    private final Supplier<Connection> connections;
    private final Map<String, List<Consumer<Change>>> handlers = new ConcurrentHashMap<>();
    private final List<Runnable> reconcilers = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile long applied;
    private volatile boolean running = true;
    /** The backend pid of the listening connection, 0 while there is none (for tests that cut it off). */
    private volatile int listenerPid;

    /**
     * Marks where this instance starts: changes recorded from now on are applied once the feed
     * starts, so nothing committed while the server loads its state is missed.
     */
    public ChangeFeed(Jdbi jdbi, Supplier<Connection> connections) {
        this.jdbi = jdbi;
        this.connections = connections;
        this.applied = latest();
        this.thread = new Thread(this::run, "cluster-changes");
        this.thread.setDaemon(true);
    }

    /** {@code handler} applies every change of {@code kind}. */
    public ChangeFeed on(String kind, Consumer<Change> handler) {
        handlers.computeIfAbsent(kind, k -> new CopyOnWriteArrayList<>()).add(handler);
        return this;
    }

    /** {@code reconciler} brings this instance's whole state in line with the database (after a reconnect). */
    public ChangeFeed onReconnect(Runnable reconciler) {
        reconcilers.add(reconciler);
        return this;
    }

    public ChangeFeed start() {
        thread.start();
        return this;
    }

    int listenerPid() {
        return listenerPid;
    }

    /** The id of the last change this instance applied. */
    public long applied() {
        return applied;
    }

    private long latest() {
        return jdbi.withHandle(h -> h.createQuery("select coalesce(max(id), 0) from cluster_changes")
                .mapTo(Long.class).one());
    }

    private void run() {
        Connection listening = null;
        boolean reconnected = false;
        long backoff = 500;
        long retryAt = 0;
        while (running) {
            try {
                if (listening == null && System.currentTimeMillis() >= retryAt) {
                    try {
                        listening = listen();
                        listenerPid = listening.unwrap(PGConnection.class).getBackendPID();
                        backoff = 500;
                        if (reconnected) {
                            reconcile();
                        }
                        reconnected = true;
                    } catch (RuntimeException | java.sql.SQLException e) {
                        retryAt = System.currentTimeMillis() + backoff;
                        backoff = Math.min(backoff * 2, 10_000);
                        DatabaseErrors.warn(log, "cannot listen for cluster changes; polling every "
                                + BACKSTOP.toMillis() + " ms meanwhile", e);
                    }
                }
                if (listening != null) {
                    try {
                        // returns on a notification, or after the backstop period
                        listening.unwrap(PGConnection.class).getNotifications((int) BACKSTOP.toMillis());
                    } catch (java.sql.SQLException e) {
                        close(listening);
                        listening = null;
                        listenerPid = 0;
                        DatabaseErrors.warn(log, "lost the cluster change listener; reconnecting", e);
                    }
                } else {
                    Thread.sleep(BACKSTOP.toMillis());
                }
                poll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                if (running) {
                    DatabaseErrors.warn(log, "applying cluster changes failed; retrying", e);
                    sleepQuietly(BACKSTOP.toMillis());
                }
            }
        }
        close(listening);
    }

    private Connection listen() throws java.sql.SQLException {
        Connection connection = connections.get();
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + ChangeLog.CHANNEL);
        } catch (java.sql.SQLException | RuntimeException e) {
            close(connection);
            throw e;
        }
        return connection;
    }

    /** Applies every change after the last applied one, in order. */
    void poll() {
        List<Change> changes;
        do {
            long after = applied;
            changes = jdbi.withHandle(h -> h.createQuery("""
                            select id, kind, organization_id, subject from cluster_changes
                             where id > :after order by id limit :limit
                            """)
                    .bind("after", after).bind("limit", BATCH)
                    .map((rs, ctx) -> new Change(rs.getLong("id"), rs.getString("kind"),
                            rs.getObject("organization_id", UUID.class), rs.getString("subject")))
                    .list());
            for (Change change : changes) {
                apply(change);
                applied = change.id();
            }
        } while (changes.size() == BATCH && running);
    }

    private void apply(Change change) {
        for (Consumer<Change> handler : handlers.getOrDefault(change.kind(), List.of())) {
            try {
                handler.accept(change);
            } catch (RuntimeException e) {
                // one bad change must not stop the others; the reconcile after a reconnect heals it
                log.error("could not apply cluster change {} ({} {})", change.id(), change.kind(), change.subject(), e);
            }
        }
    }

    /** Changes after the last applied one are still applied afterwards: handlers are idempotent. */
    private void reconcile() {
        for (Runnable reconciler : reconcilers) {
            try {
                reconciler.run();
            } catch (RuntimeException e) {
                log.error("reconciling after a reconnect failed", e);
            }
        }
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (java.sql.SQLException e) {
                log.debug("closing the change listener", e);
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
