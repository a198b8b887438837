package dev.agentfactory.runtime;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents waiting for a pending decision to be decided, without a thread each. A decision that leaves
 * PENDING_APPROVAL is announced with {@code pg_notify} in the transaction that moves it, so every
 * instance sharing the database hears it when it commits; while anyone waits, a look at the
 * waited-for rows every second catches what a lost notification or a dropped connection missed.
 */
public final class DecisionWaits implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DecisionWaits.class);
    static final String CHANNEL = "decision_changes";
    /** The longest an agent may wait in one request. */
    public static final int MAX_WAIT_SECONDS = 30;

    private final Jdbi jdbi;
    private final Supplier<Connection> connections;
    private final Map<UUID, List<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();
    // answers are read from the database off the listening thread
    private final ExecutorService answering = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "decision-waits-answer");
        thread.setDaemon(true);
        return thread;
    });
    private final Thread listener;
    private volatile boolean running = true;

    public DecisionWaits(Jdbi jdbi, Supplier<Connection> connections) {
        this.jdbi = jdbi;
        this.connections = connections;
        this.listener = new Thread(this::listen, "decision-waits");
        this.listener.setDaemon(true);
    }

    public DecisionWaits start() {
        listener.start();
        return this;
    }

    /** Announces that a decision left PENDING_APPROVAL; heard when {@code handle}'s transaction commits. */
    static void announce(Handle handle, UUID decisionId) {
        handle.createQuery("select pg_notify(:channel, :payload)").bind("channel", CHANNEL)
                .bind("payload", decisionId.toString()).mapTo(String.class).one();
    }

    /**
     * Completes (on an answering thread) when the decision is announced, or after {@code timeout}.
     * Register before reading the decision's status, so a change between the two is not missed.
     */
    CompletableFuture<Void> await(UUID decisionId, Duration timeout) {
        CompletableFuture<Void> heard = new CompletableFuture<>();
        waiting.computeIfAbsent(decisionId, id -> new CopyOnWriteArrayList<>()).add(heard);
        heard.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return heard.whenComplete((ignored, error) -> forget(decisionId, heard))
                .thenApplyAsync(ignored -> null, answering);
    }

    int waiters() {
        return waiting.values().stream().mapToInt(List::size).sum();
    }

    private void forget(UUID decisionId, CompletableFuture<Void> future) {
        waiting.computeIfPresent(decisionId, (id, list) -> {
            list.remove(future);
            return list.isEmpty() ? null : list;
        });
    }

    private void wake(UUID decisionId) {
        List<CompletableFuture<Void>> futures = waiting.get(decisionId);
        if (futures != null) {
            futures.forEach(f -> f.complete(null));
        }
    }

    private void listen() {
        long backoff = 500;
        while (running) {
            try (Connection connection = connections.get(); Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                backoff = 500;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            wake(UUID.fromString(notification.getParameter()));
                        }
                    }
                    backstop();
                }
            } catch (Exception e) {
                if (running) {
                    log.warn("decision wait listener lost its connection; reconnecting in {} ms", backoff, e);
                    backstop();
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, 10_000);
                }
            }
        }
    }

    /** Wakes waiters whose decision was decided without this instance hearing of it. */
    private void backstop() {
        if (waiting.isEmpty()) {
            return;
        }
        try {
            UUID[] ids = waiting.keySet().toArray(UUID[]::new);
            jdbi.withHandle(h -> h.createQuery("select id from decisions where id = any(:ids) and status <> 'PENDING_APPROVAL'")
                    .bind("ids", ids).mapTo(UUID.class).list()).forEach(this::wake);
        } catch (RuntimeException e) {
            log.debug("decision wait backstop", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Answers every wait now (with the decision as it stands): the server is stopping and drains its requests. */
    public void answerAll() {
        waiting.values().forEach(list -> list.forEach(f -> f.complete(null)));
    }

    @Override
    public void close() {
        running = false;
        listener.interrupt();
        answerAll();
        answering.shutdown();
    }
}
