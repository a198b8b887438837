package dev.agentfactory.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How the chain is hashed. A keyed seal (since V10) is an HMAC with the audit key over the previous
 * seal's hash, the entry's id, its place in the chain, its key epoch and MAC, and what the sealer
 * found when it checked that MAC ({@link #VERIFIED}, {@link #TAMPERED}, {@link #EARLIER_KEY}).
 * A legacy seal (before V10) is a SHA-256 over the previous hash and the entry's content as
 * PostgreSQL prints it; those are only verified, never made any more.
 */
final class AuditChain {
    static final String VERIFIED = "verified";
    static final String TAMPERED = "tampered";
    static final String EARLIER_KEY = "earlier-key";

    /** The content a legacy seal covers, as text (audit_log is {@code a}); V10 seals the last legacy entries with it. */
    static final String LEGACY_CONTENT = """
            concat_ws(chr(31), a.id::text, coalesce(a.organization_id::text, ''),
                      ((extract(epoch from a.occurred_at) * 1000000)::bigint)::text, a.actor, a.action,
                      a.entity_type, a.entity_id, coalesce(a.trace_id, ''), coalesce(a.before::text, ''),
                      coalesce(a.after::text, ''), coalesce(a.rule_set_version, ''),
                      coalesce(a.rules_fired::text, ''))""";

    private AuditChain() {
    }

    /**
     * What the sealer makes of an entry: does its MAC match its content? An entry with an earlier
     * epoch's MAC cannot be checked; only when a new epoch begins are the entries still waiting taken
     * as {@link #EARLIER_KEY}, afterwards such an entry is one written behind the server's back.
     */
    static String check(AuditKey key, EntryContent.Stored entry, boolean atEpochStart) {
        Integer epoch = entry.keyEpoch();
        if (epoch != null && epoch == key.epoch()) {
            return AuditKey.same(key.entryMac(entry.content()), entry.entryMac()) ? VERIFIED : TAMPERED;
        }
        return atEpochStart && epoch != null && epoch >= 1 && epoch < key.epoch() ? EARLIER_KEY : TAMPERED;
    }

    static String seal(AuditKey key, String previous, long id, long sealSeq, Integer entryEpoch, String entryMac,
                       String check) {
        return key.macOf("af-audit-seal-1", previous, id, sealSeq, entryEpoch, entryMac, check);
    }

    static String legacyHash(String previous, String content) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((previous == null ? "" : previous).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 30);
            digest.update(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The SQL condition selecting one chain in {@code column} (an organization id, or null for the
     * system-wide chain), with the organization bound as {@code :organizationId}.
     */
    static String chain(String column, java.util.UUID organizationId) {
        return organizationId == null ? column + " is null and cast(:organizationId as uuid) is null"
                : column + " = :organizationId";
    }
}
