package dev.agentfactory.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.DatabaseOwner;
import dev.agentfactory.support.TestServer;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * "Audit rewrite by the owner found": the database owner switches the triggers off, rewrites an
 * entry, throws its seal away and queues it again, so the server's own sealer re-seals the forgery.
 * Without a key the database does not hold, that verified as valid; now verify names the entry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwnerRewriteTest {
    private TestServer server;
    private Jdbi owner;

    @BeforeAll
    void start() {
        server = TestServer.start("ownerrewrite");
        owner = DatabaseOwner.of(server);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void an_entry_rewritten_by_the_owner_and_sealed_again_is_found() {
        Trail trail = trail("rewritten-after");
        long victim = chain(trail.org()).get(chain(trail.org()).size() - 1);

        owner.useHandle(h -> behindTheServersBack(h, () -> {
            h.execute("update audit_log set after = jsonb_set(after, '{name}', '\"Forged\"') where id = ?", victim);
            requeue(h, trail.org(), List.of(victim));
        }));
        awaitResealed(victim);

        JsonNode report = verify(trail.auditor());
        assertBroken(report, victim, "did not match the MAC written with it");
        assertEquals("tampered", owner.withHandle(h -> h.createQuery(
                "select entry_check from audit_seals where audit_id = ?").bind(0, victim).mapTo(String.class).one()));
        assertTrue(report.at("/system/valid").asBoolean(), "other chains are unaffected: " + report);

        // Nor can the owner simply clear the mark: the seal covers it.
        owner.useHandle(h -> behindTheServersBack(h, () ->
                h.execute("update audit_seals set entry_check = 'verified' where audit_id = ?", victim)));
        assertBroken(verify(trail.auditor()), victim, "its seal was not made with the audit key");
    }

    @Test
    void an_actor_rewritten_mid_chain_with_every_later_entry_sealed_again_is_found() {
        Trail trail = trail("rewritten-actor");
        List<Long> chain = chain(trail.org());
        long victim = chain.get(2);
        List<Long> resealed = chain.subList(2, chain.size());

        owner.useHandle(h -> behindTheServersBack(h, () -> {
            h.execute("update audit_log set actor = 'someone-else' where id = ?", victim);
            requeue(h, trail.org(), resealed);
        }));
        awaitResealed(resealed.get(resealed.size() - 1));

        assertBroken(verify(trail.auditor()), victim, "did not match the MAC written with it");
    }

    @Test
    void a_rewrite_left_unsealed_is_found() {
        Trail trail = trail("rewritten-waiting");
        long victim = chain(trail.org()).get(1);

        owner.useHandle(h -> behindTheServersBack(h, () ->
                h.execute("update audit_log set entity_id = 'elsewhere' where id = ?", victim)));

        assertBroken(verify(trail.auditor()), victim, "its content does not match the MAC written with it");
    }

    @Test
    void a_row_inserted_by_the_owner_with_a_made_up_mac_is_found() {
        Trail trail = trail("made-up-mac");
        int epoch = owner.withHandle(h -> h.createQuery("select max(epoch) from audit_keys").mapTo(Integer.class).one());
        // The queueing trigger stays on: the forgery goes through the sealer like any entry.
        long forged = owner.withHandle(h -> h.createQuery("""
                        insert into audit_log (organization_id, actor, action, entity_type, entity_id, after,
                                               key_epoch, entry_mac)
                        values (cast(:org as uuid), 'mona', 'approval.approved', 'approval', 'made-up',
                                '{"comment": "fine by me"}', :epoch, :mac) returning id
                        """)
                .bind("org", trail.org()).bind("epoch", epoch).bind("mac", "ab".repeat(32)).mapTo(Long.class).one());
        awaitResealed(forged);

        assertBroken(verify(trail.auditor()), forged, "did not match the MAC written with it");
    }

    @Test
    void a_row_inserted_by_the_owner_without_a_mac_is_found_before_and_after_it_is_sealed() {
        Trail trail = trail("no-mac");
        try (Handle sealerLock = owner.open()) {
            // Holding the chain's advisory lock keeps the sealer away, so verify meets the row still waiting.
            sealerLock.execute("select pg_advisory_lock(hashtext(?))", "audit-chain-" + trail.org());
            long forged = owner.withHandle(h -> h.createQuery("""
                            insert into audit_log (organization_id, actor, action, entity_type, entity_id)
                            values (cast(:org as uuid), 'mona', 'approval.approved', 'approval', 'no-mac') returning id
                            """)
                    .bind("org", trail.org()).mapTo(Long.class).one());

            assertBroken(verify(trail.auditor()), forged, "waits for its seal without a MAC made with the audit key");

            sealerLock.execute("select pg_advisory_unlock(hashtext(?))", "audit-chain-" + trail.org());
            awaitResealed(forged);
            assertBroken(verify(trail.auditor()), forged, "did not match the MAC written with it");
        }
    }

    @Test
    void an_entry_copied_whole_by_the_owner_is_found() {
        Trail trail = trail("copied");
        long original = chain(trail.org()).get(1);
        // The MAC cannot cover the id the database assigns: a copy of every other column matches its MAC.
        long copy = owner.withHandle(h -> h.createQuery("""
                        insert into audit_log (organization_id, occurred_at, actor, token_id, action, entity_type,
                                               entity_id, trace_id, before, after, rule_set_version, rules_fired,
                                               key_epoch, entry_mac)
                        select organization_id, occurred_at, actor, token_id, action, entity_type, entity_id, trace_id,
                               before, after, rule_set_version, rules_fired, key_epoch, entry_mac
                          from audit_log where id = ? returning id
                        """).bind(0, original).mapTo(Long.class).one());
        awaitResealed(copy);
        assertEquals("verified", owner.withHandle(h -> h.createQuery(
                "select entry_check from audit_seals where audit_id = ?").bind(0, copy).mapTo(String.class).one()));

        assertBroken(verify(trail.auditor()), copy, "repeats the content and MAC of entry " + original);
    }

    /** An organization with a PM, an auditor and a few sealed entries. */
    private record Trail(String org, String auditor) {
    }

    private Trail trail(String name) {
        String org = server.organization(name);
        String pm = server.token(org, "pat", "PM");
        String auditor = server.token(org, "ida", "COMPLIANCE");
        for (int i = 0; i < 2; i++) {
            String id = server.post("/api/agents", pm, Blueprints.valid(name + " " + i)).json().get("id").asText();
            server.put("/api/agents/" + id, pm, Blueprints.valid(name + " " + i + " v2"));
        }
        JsonNode sealed = AuditChainTest.awaitSealed(server, auditor);
        assertTrue(sealed.at("/organization/valid").asBoolean(), sealed.toString());
        assertTrue(sealed.at("/organization/verified").asInt() >= 6, sealed.toString());
        return new Trail(org, auditor);
    }

    /** The organization's entry ids in chain order. */
    private List<Long> chain(String org) {
        return owner.withHandle(h -> h.createQuery(
                        "select audit_id from audit_seals where chain = cast(? as uuid) order by seal_seq")
                .bind(0, org).mapTo(Long.class).list());
    }

    /** The owner's way around the append-only triggers: replication mode skips them, for this session. */
    private static void behindTheServersBack(Handle h, Runnable change) {
        h.execute("set session_replication_role = replica");
        try {
            change.run();
        } finally {
            h.execute("set session_replication_role = origin");
        }
    }

    /** Throws the entries' seals away and queues them again, so the server seals them anew. */
    private static void requeue(Handle h, String org, List<Long> ids) {
        h.createUpdate("delete from audit_seals where audit_id = any(:ids)").bindArray("ids", Long.class, ids).execute();
        h.createUpdate("insert into audit_unsealed (audit_id, chain) select unnest(:ids), cast(:org as uuid)")
                .bindArray("ids", Long.class, ids).bind("org", org).execute();
    }

    private void awaitResealed(long id) {
        org.awaitility.Awaitility.await("entry " + id + " is sealed again").atMost(java.time.Duration.ofSeconds(15))
                .until(() -> owner.withHandle(h -> h.createQuery("select count(*) from audit_seals where audit_id = ?")
                        .bind(0, id).mapTo(Long.class).one()) == 1);
    }

    private JsonNode verify(String auditor) {
        return server.get("/api/audit/verify", auditor).json();
    }

    private static void assertBroken(JsonNode report, long id, String problem) {
        assertFalse(report.at("/organization/valid").asBoolean(), report.toString());
        assertEquals(id, report.at("/organization/firstBrokenEntry/id").asLong(), report.toString());
        assertTrue(report.at("/organization/firstBrokenEntry/problem").asText().contains(problem), report.toString());
    }
}
