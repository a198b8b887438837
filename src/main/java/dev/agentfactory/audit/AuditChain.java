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
    /** The columns, as text, that a hash covers (followed by FROM ...). */
    static final String CONTENT = """
            select id, seal_seq, prev_hash, hash,
                   concat_ws(chr(31), id::text, coalesce(organization_id::text, ''),
                             ((extract(epoch from occurred_at) * 1000000)::bigint)::text, actor, action, entity_type,
                             entity_id, coalesce(trace_id, ''), coalesce(before::text, ''), coalesce(after::text, ''),
                             coalesce(rule_set_version, ''), coalesce(rules_fired::text, '')) as content
            """;

    record Entry(long id, Long sealSeq, String prevHash, String hash, String content) {
    }

    static final org.jdbi.v3.core.mapper.RowMapper<Entry> ENTRY = (rs, ctx) -> new Entry(rs.getLong("id"),
            (Long) rs.getObject("seal_seq"), rs.getString("prev_hash"), rs.getString("hash"), rs.getString("content"));

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

    /** The SQL condition selecting one chain: an organization's, or the system-wide one (null). */
    static String chain(java.util.UUID organizationId) {
        return organizationId == null ? "organization_id is null and cast(:organizationId as uuid) is null"
                : "organization_id = :organizationId";
    }
}
