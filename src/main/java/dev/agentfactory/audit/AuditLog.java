package dev.agentfactory.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.db.DatabaseErrors;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.Paging;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.core.statement.Update;

/**
 * The audit trail. Writes always take the handle of the transaction that makes the change, so
 * the change and its entry commit or roll back together. Each entry is written with its MAC
 * (see {@link EntryContent}), computed here, in the same statement: the database never sees the
 * key, so whoever rewrites the entry there cannot rewrite its MAC to match. Nothing here updates or
 * deletes; the database refuses it anyway.
 */
public final class AuditLog {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AuditLog.class);

    private final Jdbi jdbi;
    private final AuditKey key;

    public AuditLog(Jdbi jdbi, AuditKey key) {
        this.jdbi = jdbi;
        this.key = key;
    }

    /**
     * Through the fluent API rather than the SqlObject: every write in the server calls this, and
     * attaching a SqlObject to the handle costs more CPU than the insert itself.
     */
    public void append(Handle handle, AuditEvent event) {
        bind(handle.createUpdate(AuditDao.INSERT), event).execute();
    }

    /** Sets a statement's parameters from {@code first} on and returns the index of the next one. */
    @FunctionalInterface
    public interface Parameters {
        int set(PreparedStatement statement, int first) throws SQLException;
    }

    /**
     * A change and its audit entry as one statement, for the busiest path (one round trip instead
     * of two), executed here. {@code change} is an INSERT or UPDATE without RETURNING whose
     * parameters are positional ({@code ?}), set by {@code parameters}. Plain JDBC on the handle's
     * connection (its transaction, if it has one): binding by name costs more CPU than the insert.
     */
    public void appendWith(Handle handle, String change, Parameters parameters, AuditEvent event) {
        EntryContent content = content(event);
        try (PreparedStatement statement = handle.getConnection()
                .prepareStatement("with change as (" + change + ") " + AuditDao.INSERT_POSITIONAL)) {
            int i = parameters.set(statement, 1);
            statement.setObject(i++, content.organizationId(), Types.OTHER);
            statement.setObject(i++, content.occurredAt().atOffset(ZoneOffset.UTC));
            statement.setString(i++, content.actor());
            statement.setObject(i++, content.tokenId(), Types.OTHER);
            statement.setString(i++, content.action());
            statement.setString(i++, content.entityType());
            statement.setString(i++, content.entityId());
            statement.setString(i++, content.traceId());
            statement.setString(i++, content.before());
            statement.setString(i++, content.after());
            statement.setString(i++, content.ruleSetVersion());
            statement.setString(i++, content.rulesFired());
            statement.setInt(i++, key.epoch());
            statement.setString(i, key.entryMac(content));
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /**
     * The JSON columns are bound in their canonical form, so what is stored is exactly what the MAC
     * covers; the time is set here rather than by the database for the same reason.
     */
    private Update bind(Update statement, AuditEvent event) {
        EntryContent content = content(event);
        return statement
                .bindByType("auditOrganizationId", content.organizationId(), UUID.class)
                .bind("auditOccurredAt", content.occurredAt().atOffset(ZoneOffset.UTC))
                .bind("auditActor", content.actor())
                .bindByType("auditTokenId", content.tokenId(), UUID.class)
                .bind("auditAction", content.action())
                .bind("auditEntityType", content.entityType())
                .bind("auditEntityId", content.entityId())
                .bind("auditTraceId", content.traceId())
                .bind("auditBefore", content.before())
                .bind("auditAfter", content.after())
                .bind("auditRuleSetVersion", content.ruleSetVersion())
                .bind("auditRulesFired", content.rulesFired())
                .bind("auditKeyEpoch", key.epoch())
                .bind("auditEntryMac", key.entryMac(content));
    }

    private static EntryContent content(AuditEvent event) {
        return new EntryContent(event.organizationId(), EntryContent.now(), event.tokenId(),
                event.actor(), event.action(), event.entityType(), event.entityId(), event.traceId(),
                CanonicalJson.of(event.before()), CanonicalJson.of(event.after()), event.ruleSetVersion(),
                event.rulesFired().isEmpty() ? null : CanonicalJson.of(Json.tree(event.rulesFired())));
    }

    /**
     * Appends an entry of its own (a background event such as a rule reload). The event stands
     * even if its entry cannot be written; that failure is logged loudly instead of undoing it.
     */
    public void appendAlone(AuditEvent event) {
        try {
            jdbi.useTransaction(handle -> append(handle, event));
        } catch (RuntimeException e) {
            DatabaseErrors.error(log, "could not audit " + event.action() + " of " + event.entityType() + " "
                    + event.entityId(), e);
        }
    }

    public Paging.Page<AuditEntry> find(UUID organizationId, AuditFilter f, Paging paging) {
        return jdbi.withExtension(AuditDao.class, dao -> paging.of(
                dao.find(organizationId, f.entityId(), f.actor(), f.action(), f.from(), f.to(),
                                paging.limit(), paging.offset())
                        .stream().map(AuditLog::toEntry).toList(),
                dao.count(organizationId, f.entityId(), f.actor(), f.action(), f.from(), f.to())));
    }

    /**
     * Streams the organization's entries (and the system-wide ones) in id order to {@code out},
     * one JSON object per line, reading through a cursor: memory stays flat however many there are.
     */
    public void export(UUID organizationId, Instant from, Instant to, OutputStream out) {
        jdbi.useTransaction(handle -> {
            try (Stream<AuditDao.Row> rows = handle.createQuery(AuditDao.COLUMNS + AuditDao.FILTER + " order by id")
                    .bind("organizationId", organizationId).bind("entityId", (String) null)
                    .bind("actor", (String) null).bind("action", (String) null)
                    .bind("from", from).bind("to", to)
                    .setFetchSize(1_000).map(ConstructorMapper.of(AuditDao.Row.class)).stream()) {
                Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
                for (AuditDao.Row row : (Iterable<AuditDao.Row>) rows::iterator) {
                    writer.write(Json.write(toEntry(row)));
                    writer.write('\n');
                }
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the export was cut off by the client", e);
            }
        });
    }

    private static AuditEntry toEntry(AuditDao.Row row) {
        return new AuditEntry(row.id(), row.organizationId(), row.occurredAt(), row.actor(), row.tokenId(),
                row.action(), row.entityType(), row.entityId(), row.traceId(), node(row.before()), node(row.after()),
                row.ruleSetVersion(),
                row.rulesFired() == null ? List.of() : List.of(Json.read(row.rulesFired(), String[].class)),
                row.keyEpoch(), row.entryMac(), row.sealSeq(), row.prevHash(), row.hash(), row.sealKeyEpoch(),
                row.entryCheck());
    }

    private static JsonNode node(String json) {
        return json == null ? null : Json.read(json, JsonNode.class);
    }
}
