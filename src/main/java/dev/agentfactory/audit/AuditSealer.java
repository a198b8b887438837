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
 * request path: writing an entry costs a decision nothing extra. Each chain is sealed under an
 * advisory lock, so several server instances never fork it. Entries are chained in the order
 * they are sealed (seal_seq), which copes with transactions that commit out of id order.
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
        List<UUID> chains = jdbi.withHandle(h -> h.createQuery(
                "select distinct organization_id from audit_log where hash is null").mapTo(UUID.class).list());
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
        String chain = AuditChain.chain(organizationId);
        Optional<AuditChain.Entry> head = handle.createQuery(AuditChain.CONTENT + " from audit_log where " + chain
                        + " and hash is not null order by seal_seq desc limit 1")
                .bind("organizationId", organizationId).map(AuditChain.ENTRY).findOne();
        List<AuditChain.Entry> unsealed = handle.createQuery(AuditChain.CONTENT + " from audit_log where " + chain
                        + " and hash is null order by id limit " + BATCH)
                .bind("organizationId", organizationId).map(AuditChain.ENTRY).list();
        long seq = head.map(AuditChain.Entry::sealSeq).orElse(0L);
        String previous = head.map(AuditChain.Entry::hash).orElse("");
        PreparedBatch batch = handle.prepareBatch(
                "update audit_log set seal_seq = :seq, prev_hash = :prev, hash = :hash where id = :id");
        for (AuditChain.Entry entry : unsealed) {
            String hash = AuditChain.hash(previous, entry.content());
            batch.bind("seq", ++seq).bind("prev", previous).bind("hash", hash).bind("id", entry.id()).add();
            previous = hash;
        }
        if (!unsealed.isEmpty()) {
            batch.execute();
        }
        return unsealed.size();
    }

}
