package dev.agentfactory.event;

import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlBatch;

public interface ActivationDao {
    @SqlBatch("""
            insert into activations (organization_id, event_id, agent_id, deployment_id, event_type, contact_id, intent,
                                     reason, trace_id)
            values (:organizationId, :eventId, :agentId, :deploymentId, :eventType, :contactId, :intent, :reason, :traceId)
            """)
    void insert(@Bind("organizationId") UUID organizationId, @Bind("eventId") UUID eventId,
                @Bind("agentId") Iterable<UUID> agentIds, @Bind("deploymentId") Iterable<UUID> deploymentIds,
                @Bind("eventType") String eventType, @Bind("contactId") String contactId, @Bind("intent") String intent,
                @Bind("reason") Iterable<String> reasons, @Bind("traceId") String traceId);
}
