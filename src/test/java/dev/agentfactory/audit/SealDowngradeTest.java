package dev.agentfactory.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.DatabaseOwner;
import dev.agentfactory.support.TestServer;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The database owner cannot verify-proof a rewrite by making seals look older than they are: seals
 * the current key made, passed off as legacy (unkeyed, plain SHA-256 the owner can recompute) or as
 * sealed under a key epoch that verify cannot check, used to count as valid.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SealDowngradeTest {
    private TestServer server;
    private Jdbi owner;

    @BeforeAll
    void start() {
        server = TestServer.start("sealdowngrade");
        owner = DatabaseOwner.of(server);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void a_chain_rewritten_and_resealed_the_legacy_way_is_found() {
        String[] trail = trail("legacy-downgrade");
        List<Long> chain = chain(trail[0]);
        long victim = chain.get(1);

        owner.useHandle(h -> behindTheServersBack(h, () -> {
            h.execute("update audit_log set actor = 'someone-else' where id = ?", victim);
            // every seal of the chain recomputed as a legacy seal: SHA-256, no key needed
            String previous = "";
            for (Map<String, Object> seal : h.createQuery("select s.seal_seq, " + AuditChain.LEGACY_CONTENT
                            + " as content from audit_seals s join audit_log a on a.id = s.audit_id"
                            + " where s.chain = cast(? as uuid) order by s.seal_seq")
                    .bind(0, trail[0]).mapToMap().list()) {
                String hash = AuditChain.legacyHash(previous, (String) seal.get("content"));
                h.execute("update audit_seals set key_epoch = null, entry_check = null, prev_hash = ?, hash = ?"
                        + " where chain = cast(? as uuid) and seal_seq = ?", previous, hash, trail[0], seal.get("seal_seq"));
                previous = hash;
            }
        }));

        JsonNode report = verify(trail[1]);
        assertFalse(report.at("/organization/valid").asBoolean(), report.toString());
        assertEquals(chain.get(0).longValue(), report.at("/organization/firstBrokenEntry/id").asLong(), report.toString());
        assertTrue(report.at("/organization/firstBrokenEntry/problem").asText().contains("legacy"), report.toString());
    }

    @Test
    void a_prefix_rewritten_under_a_made_up_earlier_key_epoch_is_found() {
        String[] trail = trail("epoch-downgrade");
        List<Long> chain = chain(trail[0]);
        long victim = chain.get(1);

        owner.useHandle(h -> behindTheServersBack(h, () -> {
            h.execute("update audit_log set actor = 'someone-else', key_epoch = 0 where id = ?", victim);
            // the seals up to the victim claim epoch 0: counted as "earlier key", never checked;
            // the next seal still links to the unchanged hash of the victim's seal
            h.createUpdate("update audit_seals set key_epoch = 0 where chain = cast(:org as uuid) and seal_seq <= 2")
                    .bind("org", trail[0]).execute();
        }));

        JsonNode report = verify(trail[1]);
        assertFalse(report.at("/organization/valid").asBoolean(), report.toString());
        assertEquals(chain.get(0).longValue(), report.at("/organization/firstBrokenEntry/id").asLong(), report.toString());
        assertTrue(report.at("/organization/firstBrokenEntry/problem").asText().contains("epoch"), report.toString());
    }

    /** An organization with an auditor and a few sealed entries: {id, auditor token}. */
    private String[] trail(String name) {
        String org = server.organization(name);
        String pm = server.token(org, "pat", "PM");
        String auditor = server.token(org, "ida", "COMPLIANCE");
        for (int i = 0; i < 2; i++) {
            String id = server.post("/api/agents", pm, Blueprints.valid(name + " " + i)).json().get("id").asText();
            server.put("/api/agents/" + id, pm, Blueprints.valid(name + " " + i + " v2"));
        }
        JsonNode sealed = AuditChainTest.awaitSealed(server, auditor);
        assertTrue(sealed.at("/organization/valid").asBoolean(), sealed.toString());
        return new String[] {org, auditor};
    }

    private List<Long> chain(String org) {
        return owner.withHandle(h -> h.createQuery(
                        "select audit_id from audit_seals where chain = cast(? as uuid) order by seal_seq")
                .bind(0, org).mapTo(Long.class).list());
    }

    private static void behindTheServersBack(Handle h, Runnable change) {
        h.execute("set session_replication_role = replica");
        try {
            change.run();
        } finally {
            h.execute("set session_replication_role = origin");
        }
    }

    private JsonNode verify(String auditor) {
        return server.get("/api/audit/verify", auditor).json();
    }
}
