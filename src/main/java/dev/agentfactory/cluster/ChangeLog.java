package dev.agentfactory.cluster;

import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Records a change for every instance, inside the transaction that makes it: the row and its
 * notification commit (or roll back) with the change itself.
 */
public final class ChangeLog {
    static final String CHANNEL = "cluster_changes";

    private ChangeLog() {
    }

    /**
     * Call it last in the transaction. Writers are serialized by a transaction-scoped lock, so
     * change ids become visible in id order and a reader that has seen id n has seen every id below
     * it (a bigserial alone can commit 11 before 10). Changes are rare (deploys, pauses,
     * activations, revocations): the lock costs nothing on the decision path.
     */
    public static void record(Handle handle, String kind, UUID organizationId, String subject) {
        handle.createQuery("select pg_advisory_xact_lock(hashtext('agent-factory-cluster-changes'))::text")
                .mapTo(String.class).one();
        long id = handle.createQuery("""
                        insert into cluster_changes (kind, organization_id, subject)
                        values (:kind, :organizationId, :subject) returning id
                        """)
                .bind("kind", kind).bindByType("organizationId", organizationId, UUID.class).bind("subject", subject)
                .mapTo(Long.class).one();
        handle.createQuery("select pg_notify(:channel, :id)").bind("channel", CHANNEL).bind("id", Long.toString(id))
                .mapTo(String.class).one();
    }
}
