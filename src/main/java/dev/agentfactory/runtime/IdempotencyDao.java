package dev.agentfactory.runtime;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

public interface IdempotencyDao {
    record Stored(String requestHash, String response) {
    }

    @SqlQuery("select request_hash, response::text as response from idempotency_keys where agent_id = :agentId and key = :key")
    @RegisterConstructorMapper(Stored.class)
    Optional<Stored> find(@Bind("agentId") UUID agentId, @Bind("key") String key);

    /** 0 when another request stored this key first (its transaction then rolls back). */
    @SqlUpdate("""
            insert into idempotency_keys (agent_id, key, request_hash, response)
            values (:agentId, :key, :requestHash, cast(:response as jsonb))
            on conflict do nothing
            """)
    int insert(@Bind("agentId") UUID agentId, @Bind("key") String key, @Bind("requestHash") String requestHash,
               @Bind("response") String response);
}
