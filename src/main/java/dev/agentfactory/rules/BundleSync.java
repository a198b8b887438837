package dev.agentfactory.rules;

import dev.agentfactory.cluster.ChangeFeed;
import dev.agentfactory.db.DatabaseErrors;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this instance serve the bundle the database says is active: at start-up, after this
 * instance published one, when any instance activates one ({@value BundleStore#CHANGE} on the
 * cluster change feed) and after the feed reconnects. The feed's thread only asks; loading and
 * building happen on this class's own thread, and requests that pile up meanwhile are one sync.
 * A bundle this instance cannot build is refused here (recorded, logged, audited) and the bundle
 * it served keeps serving.
 */
public final class BundleSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BundleSync.class);

    private final PolicyEngine engine;
    private final BundleStore store;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "policy-bundles");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean requested = new AtomicBoolean();

    public BundleSync(PolicyEngine engine, BundleStore store) {
        this.engine = engine;
        this.store = store;
    }

    /** Applies bundle activations from every instance, and catches up after a reconnect. */
    public BundleSync follow(ChangeFeed changes) {
        changes.on(BundleStore.CHANGE, change -> request("activated on the cluster"));
        changes.onReconnect(() -> request("reconnected to the database"));
        return this;
    }

    /** Syncs soon, on this class's thread. */
    public void request(String trigger) {
        if (!requested.compareAndSet(false, true)) {
            return;
        }
        try {
            worker.execute(() -> {
                requested.set(false);
                try {
                    sync(trigger);
                } catch (RuntimeException e) {
                    DatabaseErrors.warn(log, "could not load the active policy bundle; the bundle served keeps serving"
                            + " until the next activation or reconnect", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the server is stopping (closed): its next start syncs anyway
            log.debug("bundle sync not started ({}): this instance is stopping", trigger);
        }
    }

    /** Syncs now: reads the active version, and builds and serves it unless it is served already. */
    public synchronized void sync(String trigger) {
        Optional<BundleDao.Active> active = store.active();
        if (active.isEmpty()) {
            return;
        }
        String version = active.get().version();
        engine.activeInDatabase(version);
        if (version.equals(engine.version())) {
            return;
        }
        BundleBuilder.Result result = engine.build(version, () -> store.load(version), trigger);
        if (result instanceof BundleBuilder.Built built) {
            engine.serve(built.bundle(), active.get().source(), trigger);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
