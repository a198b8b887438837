package dev.agentfactory.audit;

import dev.agentfactory.Periodic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals committed audit entries into their organization's chain, twice a second, off the request
 * path: writing an entry costs a decision nothing extra. A trigger queues every new entry in
 * audit_unsealed; the sealer moves it from there into audit_seals, so audit rows themselves are
 * never rewritten. Each chain is sealed under an advisory lock, so several server instances never
 * fork it. Entries are chained in the order they are sealed (seal_seq), which copes with
 * transactions that commit out of id order.
 *
 * <p>Before sealing an entry the sealer checks it against the MAC written with it. An entry that
 * does not match (rewritten in the database, perhaps then queued again to be re-sealed) is sealed
 * as {@code tampered}, which the seal covers and verify reports, and logged as an error.
 */
public final class AuditSealer {
    private static final Logger log = LoggerFactory.getLogger(AuditSealer.class);
    private static final int BATCH = 2_000;

    private final Jdbi jdbi;
    private final AuditKey key;
    private final AtomicBoolean superseded = new AtomicBoolean();

    public AuditSealer(Jdbi jdbi, AuditKey key) {
        this.jdbi = jdbi;
        this.key = key;
    }

    /** Seals twice a second, and has the queue vacuumed by {@code vacuumQueue} as it empties ({@link QueueVacuum}). */
    public Periodic start(Runnable vacuumQueue) {
        QueueVacuum vacuum = new QueueVacuum(vacuumQueue);
        return Periodic.every("audit-sealer", Duration.ofMillis(500), () -> vacuum.sealed(sealAll()));
    }

    /** Seals everything unsealed now; returns how many entries it sealed. */
    public int sealAll() {
        if (superseded()) {
            return 0;
        }
        int sealed = 0;
        for (UUID organizationId : jdbi.withHandle(AuditSealer::chains)) {
            int done;
            do {
                done = jdbi.inTransaction(handle -> seal(handle, organizationId, false));
                sealed += done;
            } while (done == BATCH);
        }
        return sealed;
    }

    /**
     * Seals every waiting entry in the transaction that begins a new key epoch, taking those MACed
     * with the lost key as {@code earlier-key}; returns how many there were.
     */
    int sealAtEpochStart(Handle handle) {
        int sealed = 0;
        for (UUID organizationId : chains(handle)) {
            int done;
            do {
                done = seal(handle, organizationId, true);
                sealed += done;
            } while (done == BATCH);
        }
        return sealed;
    }

    private static List<UUID> chains(Handle handle) {
        return handle.createQuery("select distinct chain from audit_unsealed").mapTo(UUID.class).list();
    }

    /** A newer key epoch was started by another instance: sealing with this key would break every chain. */
    private boolean superseded() {
        int latest = jdbi.withHandle(h -> h.createQuery("select coalesce(max(epoch), 0) from audit_keys")
                .mapTo(Integer.class).one());
        if (latest > key.epoch()) {
            if (superseded.compareAndSet(false, true)) {
                log.error("audit key epoch {} was started elsewhere; this server holds the key of epoch {} and stops "
                        + "sealing: restart it with the new key", latest, key.epoch());
            }
            return true;
        }
        return false;
    }

    private int seal(Handle handle, UUID organizationId, boolean atEpochStart) {
        String lock = "audit-chain-" + (organizationId == null ? "system" : organizationId);
        // Another instance sealing this chain now: leave it to that one, except when a new epoch must start.
        boolean locked = handle.createQuery(atEpochStart ? "select pg_advisory_xact_lock(hashtext(:key)) is not null"
                        : "select pg_try_advisory_xact_lock(hashtext(:key))").bind("key", lock)
                .mapTo(Boolean.class).one();
        if (!locked) {
            return 0;
        }
        Optional<Head> head = handle.createQuery("select seal_seq, hash from audit_seals where "
                        + AuditChain.chain("chain", organizationId) + " order by seal_seq desc limit 1")
                .bind("organizationId", organizationId)
                .map((rs, ctx) -> new Head(rs.getLong("seal_seq"), rs.getString("hash"))).findOne();
        List<EntryContent.Stored> unsealed = handle.createQuery("select " + EntryContent.COLUMNS
                        + " from audit_unsealed u join audit_log a on a.id = u.audit_id where "
                        + AuditChain.chain("u.chain", organizationId) + " order by u.audit_id limit " + BATCH)
                .bind("organizationId", organizationId).map(EntryContent.STORED).list();
        if (unsealed.isEmpty()) {
            return 0;
        }
        long seq = head.map(Head::sealSeq).orElse(0L);
        String previous = head.map(Head::hash).orElse("");
        int size = unsealed.size();
        List<Long> ids = new ArrayList<>(size);
        List<Long> seqs = new ArrayList<>(size);
        List<String> prevs = new ArrayList<>(size);
        List<String> hashes = new ArrayList<>(size);
        List<String> checks = new ArrayList<>(size);
        List<Long> tampered = new ArrayList<>();
        for (EntryContent.Stored entry : unsealed) {
            String check = AuditChain.check(key, entry, atEpochStart);
            if (check.equals(AuditChain.TAMPERED)) {
                tampered.add(entry.id());
            }
            String hash = AuditChain.seal(key, previous, entry.id(), ++seq, entry.keyEpoch(), entry.entryMac(), check);
            ids.add(entry.id());
            seqs.add(seq);
            prevs.add(previous);
            hashes.add(hash);
            checks.add(check);
            previous = hash;
        }
        // One statement for the whole batch: a row per statement cost PostgreSQL a statement's overhead per entry.
        handle.createUpdate("""
                        insert into audit_seals (audit_id, chain, seal_seq, prev_hash, hash, key_epoch, entry_check)
                        select s.audit_id, cast(:chain as uuid), s.seal_seq, s.prev_hash, s.hash,
                               cast(:keyEpoch as integer), s.entry_check
                          from unnest(:ids, :seqs, :prevs, :hashes, :checks)
                               as s (audit_id, seal_seq, prev_hash, hash, entry_check)
                        """)
                .bindByType("chain", organizationId, UUID.class).bind("keyEpoch", key.epoch())
                .bindArray("ids", Long.class, ids).bindArray("seqs", Long.class, seqs)
                .bindArray("prevs", String.class, prevs).bindArray("hashes", String.class, hashes)
                .bindArray("checks", String.class, checks)
                .execute();
        handle.createUpdate("delete from audit_unsealed where audit_id = any(:ids)")
                .bindArray("ids", Long.class, ids)
                .execute();
        if (!tampered.isEmpty()) {
            log.error("{} audit entries of chain {} do not match the MAC written with them (changed behind the "
                            + "server's back, or written without the key); sealed as tampered: ids {}",
                    tampered.size(), organizationId == null ? "system" : organizationId,
                    tampered.size() > 10 ? tampered.subList(0, 10) + "..." : tampered);
        }
        return unsealed.size();
    }

    private record Head(long sealSeq, String hash) {
    }
}
