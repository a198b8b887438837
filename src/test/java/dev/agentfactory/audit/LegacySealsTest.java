package dev.agentfactory.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.App;
import dev.agentfactory.Config;
import dev.agentfactory.support.TestDatabase;
import dev.agentfactory.support.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.Test;

/**
 * A trail sealed before the key existed (schema V7, plain SHA-256 seals, one entry still waiting for
 * its seal) keeps verifying after the upgrade: its entries are counted as legacy, and the keyed
 * chain continues from its head. Rewriting a legacy entry and recomputing the SHA-256 chain, the
 * attack that used to pass, now breaks at the first keyed seal.
 */
class LegacySealsTest {

    @Test
    void entries_sealed_before_the_key_still_verify_as_legacy_and_anchor_the_keyed_chain() throws Exception {
        TestDatabase.Target target = TestDatabase.newSchema("auditlegacy");
        Flyway.configure().dataSource(target.url(), target.user(), target.password())
                .locations("classpath:migrations").target("7").load().migrate();
        Jdbi owner = Jdbi.create(target.url(), target.user(), target.password()).installPlugin(new PostgresPlugin());
        UUID org = owner.withHandle(h -> {
            UUID id = h.createQuery("insert into organizations (name) values ('default') returning id")
                    .mapTo(UUID.class).one();
            for (int i = 1; i <= 4; i++) {
                h.execute("""
                        insert into audit_log (organization_id, actor, action, entity_type, entity_id, trace_id, after)
                        values (?, 'pat', 'blueprint.created', 'blueprint', ?, 'legacy', jsonb_build_object('n', ?, 'r', 0.70))
                        """, id, "bp-" + i, i);
            }
            h.execute("insert into audit_log (organization_id, actor, action, entity_type, entity_id) "
                    + "values (null, 'system', 'rules.loaded', 'rule_set', 'v-legacy')");
            return id;
        });
        // The pre-V10 sealer at work: all but the organization's last entry get their SHA-256 seal.
        owner.useHandle(h -> {
            sealTheOldWay(h, org, 3);
            sealTheOldWay(h, null, 1);
        });

        Config config = Config.defaults().withWarmUp(java.time.Duration.ZERO).withPort(0).withDatabase(target.url(), target.user(), target.password())
                .withDataDir(TestServer.tempDir("af-legacy")).withRulesDir(Path.of("rules"))
                .withAdminToken(TestServer.ADMIN_TOKEN);
        try (App app = App.create(config).start()) {
            JsonNode report = Awaitility.await().atMost(Duration.ofSeconds(15)).until(
                    () -> AuditKeyTest.get(app, "/api/audit/verify").json(),
                    r -> r.at("/organization/unsealed").asInt() == 0 && r.at("/system/unsealed").asInt() == 0);
            assertTrue(report.at("/organization/valid").asBoolean(), report.toString());
            assertEquals(4, report.at("/organization/legacy").asInt(), "the one left waiting was sealed by V10: " + report);
            assertTrue(report.at("/organization/verified").asInt() >= 1, "the admin token's entry: " + report);
            assertTrue(report.at("/system/valid").asBoolean(), report.toString());
            assertEquals(1, report.at("/system/legacy").asInt(), report.toString());

            List<Long> legacy = owner.withHandle(h -> h.createQuery("select audit_id from audit_seals "
                    + "where chain = ? and key_epoch is null order by seal_seq").bind(0, org).mapTo(Long.class).list());
            owner.useHandle(h -> ownerMode(h, () -> h.execute("update audit_log set actor = 'mallory' where id = ?",
                    legacy.get(1))));
            JsonNode changed = AuditKeyTest.get(app, "/api/audit/verify").json();
            assertBroken(changed, legacy.get(1), "its content does not match its hash");

            // The old attack: recompute the SHA-256 chain after the change. The first keyed seal covers
            // the legacy head, so the chain now breaks there, and the owner cannot re-make that seal.
            owner.useHandle(h -> ownerMode(h, () -> {
                h.execute("delete from audit_seals where chain = ? and key_epoch is null and seal_seq >= 2", org);
                String head = h.createQuery("select hash from audit_seals where chain = ? and seal_seq = 1")
                        .bind(0, org).mapTo(String.class).one();
                for (int seq = 2; seq <= 4; seq++) {
                    long id = legacy.get(seq - 1);
                    String content = h.createQuery("select " + AuditChain.LEGACY_CONTENT + " from audit_log a where a.id = ?")
                            .bind(0, id).mapTo(String.class).one();
                    String hash = AuditChain.legacyHash(head, content);
                    h.execute("insert into audit_seals (audit_id, chain, seal_seq, prev_hash, hash) values (?, ?, ?, ?, ?)",
                            id, org, seq, head, hash);
                    head = hash;
                }
                h.execute("update audit_seals set prev_hash = ? where chain = ? and seal_seq = 5", head, org);
            }));
            JsonNode rehashed = AuditKeyTest.get(app, "/api/audit/verify").json();
            long firstKeyed = owner.withHandle(h -> h.createQuery(
                    "select audit_id from audit_seals where chain = ? and seal_seq = 5").bind(0, org).mapTo(Long.class).one());
            assertBroken(rehashed, firstKeyed, "its seal was not made with the audit key");
        }
    }

    /** What AuditSealer did before V10, with the same content string and hash. */
    private static void sealTheOldWay(Handle h, UUID chain, int count) {
        List<Long> ids = h.createQuery("select audit_id from audit_unsealed where chain is not distinct from ? "
                + "order by audit_id limit " + count).bind(0, chain).mapTo(Long.class).list();
        String previous = "";
        int seq = 0;
        for (long id : ids) {
            String content = h.createQuery("select " + AuditChain.LEGACY_CONTENT + " from audit_log a where a.id = ?")
                    .bind(0, id).mapTo(String.class).one();
            String hash = AuditChain.legacyHash(previous, content);
            h.execute("insert into audit_seals (audit_id, chain, seal_seq, prev_hash, hash) values (?, ?, ?, ?, ?)",
                    id, chain, ++seq, previous, hash);
            h.execute("delete from audit_unsealed where audit_id = ?", id);
            previous = hash;
        }
    }

    private static void ownerMode(Handle h, Runnable change) {
        h.execute("set session_replication_role = replica");
        try {
            change.run();
        } finally {
            h.execute("set session_replication_role = origin");
        }
    }

    private static void assertBroken(JsonNode report, long id, String problem) {
        assertFalse(report.at("/organization/valid").asBoolean(), report.toString());
        assertEquals(id, report.at("/organization/firstBrokenEntry/id").asLong(), report.toString());
        assertTrue(report.at("/organization/firstBrokenEntry/problem").asText().contains(problem), report.toString());
    }
}
