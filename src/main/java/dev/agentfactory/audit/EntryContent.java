package dev.agentfactory.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * What an entry's MAC covers: everything but its id (the database assigns that; the seal covers
 * it). {@code before}, {@code after} and {@code rulesFired} are canonical JSON text (see
 * {@link CanonicalJson}), or null. The canonical form is a JSON array:
 * {@code ["af-audit-entry-1", organizationId, occurredAt in epoch microseconds, tokenId, actor,
 * action, entityType, entityId, traceId, before, after, ruleSetVersion, rulesFired]}.
 */
record EntryContent(UUID organizationId, Instant occurredAt, UUID tokenId, String actor, String action,
                    String entityType, String entityId, String traceId, String before, String after,
                    String ruleSetVersion, String rulesFired) {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** Select-list of the columns an entry's MAC covers, with its epoch and MAC (audit_log is {@code a}). */
    static final String COLUMNS = """
            a.id, a.organization_id, a.occurred_at, a.token_id, a.actor, a.action, a.entity_type, a.entity_id,
            a.trace_id, a.before::text as before, a.after::text as after, a.rule_set_version,
            a.rules_fired::text as rules_fired, a.key_epoch, a.entry_mac""";

    /** An entry as read back: its id, epoch and MAC, and its content recomputed from the stored columns. */
    record Stored(long id, Integer keyEpoch, String entryMac, EntryContent content) {
    }

    static final RowMapper<Stored> STORED = (rs, ctx) -> stored(rs);

    static Stored stored(ResultSet rs) throws SQLException {
        return new Stored(rs.getLong("id"), rs.getObject("key_epoch", Integer.class), rs.getString("entry_mac"),
                new EntryContent(rs.getObject("organization_id", UUID.class),
                        rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("token_id", UUID.class), rs.getString("actor"), rs.getString("action"),
                        rs.getString("entity_type"), rs.getString("entity_id"), rs.getString("trace_id"),
                        CanonicalJson.ofStored(rs.getString("before")), CanonicalJson.ofStored(rs.getString("after")),
                        rs.getString("rule_set_version"), CanonicalJson.ofStored(rs.getString("rules_fired"))));
    }

    /** The time an entry is stamped with: microseconds, what timestamptz keeps. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    String canonical() {
        StringWriter out = new StringWriter(256 + length(before) + length(after));
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            generator.writeStartArray();
            generator.writeString("af-audit-entry-1");
            text(generator, organizationId == null ? null : organizationId.toString());
            generator.writeNumber(occurredAt.getEpochSecond() * 1_000_000L + occurredAt.getNano() / 1_000);
            text(generator, tokenId == null ? null : tokenId.toString());
            text(generator, actor);
            text(generator, action);
            text(generator, entityType);
            text(generator, entityId);
            text(generator, traceId);
            json(generator, before);
            json(generator, after);
            text(generator, ruleSetVersion);
            json(generator, rulesFired);
            generator.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void text(JsonGenerator generator, String value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else {
            generator.writeString(CanonicalJson.storable(value));
        }
    }

    private static void json(JsonGenerator generator, String canonical) throws IOException {
        if (canonical == null) {
            generator.writeNull();
        } else {
            generator.writeRawValue(canonical);
        }
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }
}
