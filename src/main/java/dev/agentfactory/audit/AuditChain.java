package dev.agentfactory.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How an audit entry's hash is computed: SHA-256 over the previous entry's hash and the entry's
 * own content, read back from PostgreSQL in a canonical form (jsonb as text, time in epoch
 * microseconds), so sealing and verifying always see the same bytes.
 */
final class AuditChain {
    /** Select-list: an entry's id and, as text, the columns its hash covers (audit_log is {@code a}). */
    static final String CONTENT = """
            a.id,
                   concat_ws(chr(31), a.id::text, coalesce(a.organization_id::text, ''),
                             ((extract(epoch from a.occurred_at) * 1000000)::bigint)::text, a.actor, a.action,
                             a.entity_type, a.entity_id, coalesce(a.trace_id, ''), coalesce(a.before::text, ''),
                             coalesce(a.after::text, ''), coalesce(a.rule_set_version, ''),
                             coalesce(a.rules_fired::text, '')) as content
            """;

    /** An entry waiting for its seal. */
    record Entry(long id, String content) {
    }

    static final org.jdbi.v3.core.mapper.RowMapper<Entry> ENTRY = (rs, ctx) ->
            new Entry(rs.getLong("id"), rs.getString("content"));

    /** A sealed entry as the verifier re-walks it. */
    record Sealed(long id, long sealSeq, String prevHash, String hash, String content) {
    }

    static final org.jdbi.v3.core.mapper.RowMapper<Sealed> SEALED = (rs, ctx) -> new Sealed(rs.getLong("id"),
            rs.getLong("seal_seq"), rs.getString("prev_hash"), rs.getString("hash"), rs.getString("content"));

    private AuditChain() {
    }

    static String hash(String previous, String content) {
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
