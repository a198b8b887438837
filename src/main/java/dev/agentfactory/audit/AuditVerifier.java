package dev.agentfactory.audit;

import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Re-walks a chain from its first seal and reports the first broken entry: one whose content no
 * longer matches the MAC written with it, whose seal is not the audit key's, or whose prev_hash is
 * not its predecessor's hash (an entry was changed, removed or inserted behind the server's back).
 * Entries waiting for their seal are checked against their MAC too. Entries that are neither sealed
 * nor waiting were written with the queueing trigger switched off, and two entries with the same
 * MAC are a copy; both make the chain invalid.
 * Streams the chain, whatever its length.
 */
public final class AuditVerifier {
    private static final RowMapper<ChainWalk.Sealed> SEALED = (rs, ctx) -> new ChainWalk.Sealed(
            rs.getLong("seal_seq"), rs.getString("prev_hash"), rs.getString("hash"),
            rs.getObject("seal_key_epoch", Integer.class), rs.getString("entry_check"), rs.getString("legacy_content"),
            EntryContent.stored(rs));

    private final Jdbi jdbi;
    private final AuditKey key;

    public AuditVerifier(Jdbi jdbi, AuditKey key) {
        this.jdbi = jdbi;
        this.key = key;
    }

    public AuditKey key() {
        return key;
    }

    public ChainReport verify(UUID organizationId) {
        return jdbi.inTransaction(handle -> {
            long unsealed = handle.createQuery("select count(*) from audit_unsealed where "
                            + AuditChain.chain("chain", organizationId))
                    .bind("organizationId", organizationId).mapTo(Long.class).one();
            ChainWalk walk = new ChainWalk(key, organizationId, epochStart(handle));
            try (Stream<ChainWalk.Sealed> seals = handle.createQuery("select s.seal_seq, s.prev_hash, s.hash, "
                            + "s.key_epoch as seal_key_epoch, s.entry_check, " + EntryContent.COLUMNS + ", "
                            + "case when s.key_epoch is null then " + AuditChain.LEGACY_CONTENT + " end as legacy_content"
                            + " from audit_seals s join audit_log a on a.id = s.audit_id where "
                            + AuditChain.chain("s.chain", organizationId) + " order by s.seal_seq")
                    .bind("organizationId", organizationId).setFetchSize(1_000).map(SEALED).stream()) {
                for (ChainWalk.Sealed sealed : (Iterable<ChainWalk.Sealed>) seals::iterator) {
                    String problem = walk.next(sealed);
                    if (problem != null) {
                        return ChainReport.broken(new ChainReport.BrokenEntry(sealed.entry().id(), sealed.sealSeq(),
                                problem), walk.verified(), unsealed);
                    }
                }
            }
            Optional<ChainReport.BrokenEntry> broken = firstBrokenWaiting(handle, organizationId, walk)
                    .or(() -> firstCopy(handle, organizationId))
                    .or(() -> firstOutside(handle, organizationId));
            if (broken.isPresent()) {
                return ChainReport.broken(broken.get(), walk.verified(), unsealed);
            }
            return ChainReport.valid(walk.verified(), walk.legacy(), walk.earlierKey(), unsealed, walk.head());
        });
    }

    /**
     * The id of the {@code audit.key_epoch_started} entry of the current epoch, written with the
     * current key; 0 when there is none with a matching MAC (then no entry may claim an earlier key).
     */
    private long epochStart(Handle handle) {
        return handle.createQuery("select " + EntryContent.COLUMNS + " from audit_log a where a.organization_id is null"
                        + " and a.action = 'audit.key_epoch_started' and a.entity_id = :epoch and a.key_epoch = :keyEpoch"
                        + " order by a.id")
                .bind("epoch", String.valueOf(key.epoch())).bind("keyEpoch", key.epoch())
                .map(EntryContent.STORED).list().stream()
                .filter(entry -> AuditKey.same(key.entryMac(entry.content()), entry.entryMac()))
                .mapToLong(EntryContent.Stored::id).findFirst().orElse(0L);
    }

    private static Optional<ChainReport.BrokenEntry> firstBrokenWaiting(Handle handle, UUID organizationId,
                                                                        ChainWalk walk) {
        try (Stream<EntryContent.Stored> entries = handle.createQuery("select " + EntryContent.COLUMNS
                        + " from audit_unsealed u join audit_log a on a.id = u.audit_id where "
                        + AuditChain.chain("u.chain", organizationId) + " order by u.audit_id")
                .bind("organizationId", organizationId).setFetchSize(1_000).map(EntryContent.STORED).stream()) {
            for (EntryContent.Stored entry : (Iterable<EntryContent.Stored>) entries::iterator) {
                String problem = walk.pending(entry);
                if (problem != null) {
                    return Optional.of(new ChainReport.BrokenEntry(entry.id(), null, problem));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The MAC cannot cover an entry's id (the database assigns it), so a row copied whole, MAC and
     * all, matches it. Two entries with the same content, to the microsecond, are such a copy.
     */
    private static Optional<ChainReport.BrokenEntry> firstCopy(Handle handle, UUID organizationId) {
        return handle.createQuery("select min(a.id) as original, max(a.id) as copy from audit_log a where "
                        + AuditChain.chain("a.organization_id", organizationId)
                        + " and a.entry_mac is not null group by a.entry_mac having count(*) > 1 order by 2 limit 1")
                .bind("organizationId", organizationId)
                .map((rs, ctx) -> new ChainReport.BrokenEntry(rs.getLong("copy"), null, "it repeats the content and "
                        + "MAC of entry " + rs.getLong("original") + ": a copy written behind the server's back"))
                .findOne();
    }

    private static Optional<ChainReport.BrokenEntry> firstOutside(Handle handle, UUID organizationId) {
        return handle.createQuery("select a.id from audit_log a where "
                        + AuditChain.chain("a.organization_id", organizationId)
                        + " and not exists (select 1 from audit_seals s where s.audit_id = a.id)"
                        + " and not exists (select 1 from audit_unsealed u where u.audit_id = a.id)"
                        + " order by a.id limit 1")
                .bind("organizationId", organizationId).mapTo(Long.class).findOne()
                .map(id -> new ChainReport.BrokenEntry(id, null,
                        "it is outside the chain: it was written behind the server's back"));
    }
}
