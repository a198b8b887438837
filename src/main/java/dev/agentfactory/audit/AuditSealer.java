package dev.agentfactory.audit;

import dev.agentfactory.Periodic;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Seals committed audit entries into their organization's hash chain, twice a second, off the
 * request path: writing an entry costs a decision nothing extra. A trigger queues every new entry
 * in audit_unsealed; the sealer moves it from there into audit_seals, so audit rows themselves are
 * never rewritten. Each chain is sealed under an advisory lock, so several server instances never
 * fork it. Entries are chained in the order they are sealed (seal_seq), which copes with
 * transactions that commit out of id order.
 */
public final class AuditSealer {
    private static final int BATCH = 2_000;

    private final Jdbi jdbi;

    public AuditSealer(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Periodic start() {
        return Periodic.every("audit-sealer", Duration.ofMillis(500), this::sealAll);
    }

    /** Seals everything unsealed now; returns how many entries it sealed. */
    public int sealAll() {
        List<UUID> chains = jdbi.withHandle(h -> h.createQuery("select distinct chain from audit_unsealed")
                .mapTo(UUID.class).list());
        int sealed = 0;
        for (UUID organizationId : chains) {
            int done;
            do {
                done = jdbi.inTransaction(handle -> seal(handle, organizationId));
                sealed += done;
            } while (done == BATCH);
        }
        return sealed;
    }

    private int seal(Handle handle, UUID organizationId) {
        String key = "audit-chain-" + (organizationId == null ? "system" : organizationId);
        boolean locked = handle.createQuery("select pg_try_advisory_xact_lock(hashtext(:key))").bind("key", key)
                .mapTo(Boolean.class).one();
        if (!locked) {
            return 0;
        }
        Optional<Head> head = handle.createQuery("select seal_seq, hash from audit_seals where "
                        + AuditChain.chain("chain", organizationId) + " order by seal_seq desc limit 1")
                .bind("organizationId", organizationId)
                .map((rs, ctx) -> new Head(rs.getLong("seal_seq"), rs.getString("hash"))).findOne();
        List<AuditChain.Entry> unsealed = handle.createQuery("select " + AuditChain.CONTENT
                        + " from audit_unsealed u join audit_log a on a.id = u.audit_id where "
                        + AuditChain.chain("u.chain", organizationId) + " order by u.audit_id limit " + BATCH)
                .bind("organizationId", organizationId).map(AuditChain.ENTRY).list();
        if (unsealed.isEmpty()) {
            return 0;
        }
        long seq = head.map(Head::sealSeq).orElse(0L);
        String previous = head.map(Head::hash).orElse("");
        PreparedBatch seals = handle.prepareBatch("""
                insert into audit_seals (audit_id, chain, seal_seq, prev_hash, hash)
                values (:id, :chain, :seq, :prev, :hash)
                """);
        for (AuditChain.Entry entry : unsealed) {
            String hash = AuditChain.hash(previous, entry.content());
            seals.bind("id", entry.id()).bindByType("chain", organizationId, UUID.class).bind("seq", ++seq)
                    .bind("prev", previous).bind("hash", hash).add();
            previous = hash;
        }
        seals.execute();
        handle.createUpdate("delete from audit_unsealed where audit_id = any(:ids)")
                .bindArray("ids", Long.class, unsealed.stream().map(AuditChain.Entry::id).toList())
                .execute();
        return unsealed.size();
    }

    private record Head(long sealSeq, String hash) {
    }
}
