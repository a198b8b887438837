package dev.agentfactory.outbox;

import dev.agentfactory.web.Json;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The transactional outbox: a callback is written in the same transaction as the change it
 * reports, so it is delivered (at least once, by {@link WebhookDispatcher}) exactly when the change
 * commits, and survives restarts.
 */
public final class Outbox {
    private Outbox() {
    }

    public interface Dao {
        @SqlUpdate("""
                insert into outbox (organization_id, agent_id, url, secret, event, payload)
                values (:organizationId, :agentId, :url, :secret, :event, cast(:payload as jsonb))
                """)
        void insert(@Bind("organizationId") UUID organizationId, @Bind("agentId") UUID agentId, @Bind("url") String url,
                    @Bind("secret") String secret, @Bind("event") String event, @Bind("payload") String payload);
    }

    public static void enqueue(Handle handle, UUID organizationId, UUID agentId, String url, String secret, String event,
                               Map<String, Object> payload) {
        handle.attach(Dao.class).insert(organizationId, agentId, url, secret, event, Json.write(payload));
    }
}
