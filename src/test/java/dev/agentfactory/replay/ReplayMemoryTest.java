package dev.agentfactory.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentfactory.Main;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.ChildJvm;
import dev.agentfactory.support.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Replay pages through history: 100,000 stored decisions of ~2.5 KB each (about 250 MB as strings
 * alone) are re-decided by {@code rules impact} in a JVM of 160 MB. Loading them all would run out of memory.
 */
class ReplayMemoryTest {
    private static final int DECISIONS = 100_000;

    @Test
    void replaying_100000_stored_decisions_pages_through_them_in_bounded_memory() {
        try (TestServer server = TestServer.start("replaymemory")) {
            String pm = server.token(server.defaultOrganizationId(), "pia", "PM");
            String id = Agents.createAndDeploy(server, pm, Blueprints.with(Blueprints.valid("Busy"), "actionConfig",
                    "allowedActionTypes", List.of("EscalateLead")));
            server.jdbi().useHandle(handle -> handle.createUpdate("""
                    insert into decisions (id, organization_id, agent_id, deployment_id, blueprint_version,
                                           rule_set_version, action_type, scope, decision, status, risk_score, confidence,
                                           reasons, rules_fired, input, created_at)
                    select gen_random_uuid(), :organizationId, :agentId, :agentId, 1, 'seeded', 'EscalateLead', 'Hybrid',
                           'EXECUTE', 'EXECUTE', 0.3, 0.9, '[]'::jsonb, '["T2-002", "T3-016"]'::jsonb,
                           jsonb_build_object('actionType', 'EscalateLead', 'confidence', 0.9, 'contactId', 'c-' || n,
                               'contextTypes', '[]'::jsonb, 'accessLevel', null, 'payload', '{}'::jsonb,
                               'userOverrides', '{}'::jsonb, 'reasoning', repeat(md5(n::text), 80)),
                           now() - make_interval(secs => n)
                      from generate_series(1, :count) as n
                    """).bind("organizationId", UUID.fromString(server.defaultOrganizationId()))
                    .bind("agentId", UUID.fromString(id)).bind("count", DECISIONS).execute());
            // what autovacuum does after a bulk load: without statistics the planner sorts the whole window per page
            server.jdbi().useHandle(handle -> handle.execute("analyze decisions"));

            try (ChildJvm cli = ChildJvm.start(Main.class, Map.of(), List.of("-Xmx160m"), "rules", "impact", Path.of("rules").toString(),
                    "--since", "3d", "--limit", String.valueOf(DECISIONS), "--samples", "0",
                    "--db-url", server.config().dbUrl().orElseThrow(), "--db-user", server.config().dbUser(),
                    "--db-password", server.config().dbPassword())) {
                assertEquals(0, cli.waitForExit(Duration.ofMinutes(3)), cli.output());
                assertTrue(cli.output().contains("replayed " + DECISIONS + " decisions"), cli.output());
                assertTrue(cli.output().contains("0 flipped"), cli.output());
            }
        }
    }
}
