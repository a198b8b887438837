package dev.agentfactory.runtime;

import dev.agentfactory.db.ChannelListener;
import java.sql.Connection;
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
    private final Map<UUID, List<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();
    // answers are read from the database off the listening thread
    private final ExecutorService answering = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "decision-waits-answer");
        thread.setDaemon(true);
        return thread;
    });
    private final ChannelListener listener;

    public DecisionWaits(Jdbi jdbi, Supplier<Connection> connections) {
        this.jdbi = jdbi;
        this.listener = new ChannelListener(CHANNEL, connections, payload -> wake(UUID.fromString(payload)),
                this::backstop);
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

    /** Answers every wait now (with the decision as it stands): the server is stopping and drains its requests. */
    public void answerAll() {
        waiting.values().forEach(list -> list.forEach(f -> f.complete(null)));
    }

    @Override
    public void close() {
        listener.close();
        answerAll();
        answering.shutdown();
    }
}
