package dev.agentfactory.audit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agentfactory.support.DatabaseOwner;
import dev.agentfactory.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The sealer's queue loses a row with every entry sealed. PostgreSQL reclaims those only by VACUUM,
 * which autovacuum may never run (it is off on this machine's PostgreSQL), and the queue's dead rows
 * slowed every decision once there were a few hundred thousand. So the sealer has it vacuumed, as the
 * owner: the role the server works as may not.
 */
class AuditQueueVacuumTest {
    @Test
    void the_sealer_has_its_queue_vacuumed_once_it_sealed_entries() {
        TestServer server = TestServer.start("queuevacuum");
        try {
            Jdbi owner = DatabaseOwner.of(server);
            long before = vacuums(owner);
            for (int i = 0; i < 3; i++) {
                assertEquals(201, server.post("/api/tokens", TestServer.ADMIN_TOKEN,
                        Map.of("principal", "vacuum-" + i, "roles", List.of("PM"))).status());
            }
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                    .until(() -> vacuums(owner) > before);
        } finally {
            server.close();
        }
    }

    private static long vacuums(Jdbi owner) {
        return owner.withHandle(h -> h.createQuery(
                "select vacuum_count from pg_stat_user_tables where relid = 'audit_unsealed'::regclass")
                .mapTo(Long.class).one());
    }
}
