package dev.agentfactory.cluster;

import dev.agentfactory.Periodic;
import dev.agentfactory.db.DatabaseErrors;
import dev.agentfactory.web.Json;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance in {@code cluster_instances}: registered at start, a heartbeat every second while
 * what it serves changes (every {@link #REFRESH} otherwise), removed at a clean shutdown. A row
 * not seen for {@link #STALE} belongs to an instance that crashed or hangs; it is removed after
 * {@link #FORGET}.
 */
public final class Instances implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Instances.class);
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final Duration REFRESH = Duration.ofSeconds(5);
    static final Duration STALE = Duration.ofSeconds(15);
    static final Duration FORGET = Duration.ofHours(1);
    /** Changes every instance has applied long ago; kept a week for whoever investigates. */
    private static final Duration KEEP_CHANGES = Duration.ofDays(7);

    private final UUID id = UUID.randomUUID();
    private final Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    private final Jdbi jdbi;
    private final Supplier<Serving> serving;
    private final LongSupplier appliedChange;
    private volatile String address;
    private Periodic heartbeat;
    private Beat last;
    private long lastWrite;
    private long lastHousekeeping;

    private record Beat(Serving serving, long appliedChange, String address) {
    }

    /**
     * @param serving what this instance serves now, from memory
     * @param appliedChange the id of the last change its feed applied
     */
    public Instances(Jdbi jdbi, Supplier<Serving> serving, LongSupplier appliedChange) {
        this.jdbi = jdbi;
        this.serving = serving;
        this.appliedChange = appliedChange;
    }

    public UUID id() {
        return id;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public long appliedChange() {
        return appliedChange.getAsLong();
    }

    Serving serving() {
        return serving.get();
    }

    /** Registers this instance and starts its heartbeat. */
    public Instances start() {
        beat();
        heartbeat = Periodic.every("cluster-heartbeat", HEARTBEAT, this::beat);
        return this;
    }

    /** Where it answers HTTP, once it does. */
    public void listeningOn(String url) {
        this.address = url;
    }

    synchronized void beat() {
        Beat now = new Beat(serving.get(), appliedChange.getAsLong(), address);
        long nanos = System.nanoTime();
        if (now.equals(last) && nanos - lastWrite < REFRESH.toNanos()) {
            return;
        }
        // an upsert: a row removed meanwhile (forgotten after a long pause of this process) comes back
        jdbi.useHandle(h -> h.createUpdate("""
                        insert into cluster_instances (id, host, pid, address, started_at, last_seen, applied_change, serving)
                        values (:id, :host, :pid, :address, :startedAt, now(), :applied, cast(:serving as jsonb))
                        on conflict (id) do update set address = excluded.address, last_seen = now(),
                               applied_change = excluded.applied_change, serving = excluded.serving
                        """)
                .bind("id", id).bind("host", HOST).bind("pid", ProcessHandle.current().pid())
                .bind("address", now.address()).bind("startedAt", startedAt).bind("applied", now.appliedChange())
                .bind("serving", Json.write(now.serving()))
                .execute());
        last = now;
        lastWrite = nanos;
        if (nanos - lastHousekeeping > FORGET.toNanos() || lastHousekeeping == 0) {
            lastHousekeeping = nanos;
            housekeeping();
        }
    }

    private void housekeeping() {
        jdbi.useHandle(h -> {
            int forgotten = h.createUpdate("delete from cluster_instances where last_seen < now() - cast(:forget as interval)")
                    .bind("forget", FORGET.toSeconds() + " seconds").execute();
            h.createUpdate("delete from cluster_changes where created_at < now() - cast(:keep as interval)")
                    .bind("keep", KEEP_CHANGES.toSeconds() + " seconds").execute();
            if (forgotten > 0) {
                log.info("forgot {} instances not seen for {}", forgotten, FORGET);
            }
        });
    }

    @Override
    public void close() {
        if (heartbeat != null) {
            heartbeat.close();
        }
        try {
            jdbi.useHandle(h -> h.createUpdate("delete from cluster_instances where id = :id").bind("id", id).execute());
        } catch (RuntimeException e) {
            DatabaseErrors.warn(log, "could not remove instance " + id + " from cluster_instances; it goes stale", e);
        }
    }

    @Override
    public String toString() {
        return "cluster instance " + id;
    }

    private static final String HOST = hostName();

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }
}
