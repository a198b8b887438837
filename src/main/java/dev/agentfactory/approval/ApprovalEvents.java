package dev.agentfactory.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.web.Json;
import io.javalin.http.sse.SseClient;
import dev.agentfactory.db.ChannelListener;
import java.sql.Connection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queue changes as a Server-Sent-Events stream. A change is announced with {@code pg_notify} in
 * the transaction that makes it, so it goes out exactly when it commits, and every server
 * instance sharing the database (each LISTENs) passes it to its own SSE clients of that
 * organization.
 */
public final class ApprovalEvents implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApprovalEvents.class);
    static final String CHANNEL = "approval_events";

    private final Map<UUID, Set<SseClient>> clients = new ConcurrentHashMap<>();
    private final ChannelListener listener;

    public ApprovalEvents(Supplier<Connection> connections) {
        this.listener = new ChannelListener(CHANNEL, connections, this::dispatch, () -> { });
    }

    public ApprovalEvents start() {
        listener.start();
        return this;
    }

    /** Announces a change; delivered to SSE clients when (and only if) {@code handle}'s transaction commits. */
    static void announce(Handle handle, UUID organizationId, String type, ApprovalDao.Row row) {
        String payload = Json.write(Map.of("organizationId", organizationId, "type", type, "approvalId", row.id(),
                "kind", row.kind(), "status", row.status(), "agentId", row.agentId(), "approverRole", row.approverRole()));
        handle.createQuery("select pg_notify(:channel, :payload)").bind("channel", CHANNEL).bind("payload", payload)
                .mapTo(String.class).one();
    }

    public void subscribe(UUID organizationId, SseClient client) {
        clients.computeIfAbsent(organizationId, id -> ConcurrentHashMap.newKeySet()).add(client);
        client.onClose(() -> clients.getOrDefault(organizationId, Set.of()).remove(client));
        client.sendComment("subscribed to approval events");
    }

    private void dispatch(String payload) {
        JsonNode event = Json.read(payload, JsonNode.class);
        UUID organizationId = UUID.fromString(event.get("organizationId").asText());
        for (SseClient client : clients.getOrDefault(organizationId, Set.of())) {
            try {
                client.sendEvent("approval", payload);
            } catch (RuntimeException e) {
                clients.get(organizationId).remove(client);
            }
        }
    }

    /**
     * Ends every open stream. Called when the HTTP server starts stopping, so the graceful drain
     * does not wait for streams that never end.
     */
    public void closeStreams() {
        clients.values().forEach(set -> set.forEach(client -> {
            try {
                client.close();
            } catch (RuntimeException e) {
                log.debug("closing an SSE stream", e);
            }
        }));
        clients.clear();
    }

    @Override
    public void close() {
        listener.close();
        clients.clear();
    }
}
