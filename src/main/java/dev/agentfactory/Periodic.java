package dev.agentfactory;

import dev.agentfactory.db.DatabaseErrors;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background work that runs again and again on its own daemon thread: a failed round is logged
 * and the next one runs anyway. Closing it lets a round in progress finish (up to 5 s), so the
 * work never outlives the connection pool it uses.
 */
public final class Periodic implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Periodic.class);

    private final String name;
    private final ScheduledExecutorService scheduler;
    private volatile boolean closing;

    private Periodic(String name) {
        this.name = name;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    public static Periodic every(String name, Duration delay, Runnable round) {
        Periodic periodic = new Periodic(name);
        periodic.scheduler.scheduleWithFixedDelay(() -> {
            try {
                round.run();
            } catch (RuntimeException e) {
                if (!periodic.closing) {
                    DatabaseErrors.warn(log, name + " failed; it runs again in " + delay.toMillis() + " ms", e);
                }
            }
        }, delay.toMillis(), delay.toMillis(), TimeUnit.MILLISECONDS);
        return periodic;
    }

    @Override
    public void close() {
        closing = true;
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
