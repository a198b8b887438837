package dev.agentfactory.rules;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.Cli;
import dev.agentfactory.support.DatabaseOwner;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.support.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two servers on one database that watch no folder (the set-up for rules kept in git): the policy
 * comes from {@code rules publish}, every server serves the active bundle, any bundle can be
 * fetched and activated again, and a refused bundle changes nothing anywhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyBundlesTest {
    private static final Duration PROPAGATION = Duration.ofSeconds(10);

    private Path unwatched;
    private TestServer a;
    private TestServer b;
    private String compliance;

    @BeforeAll
    void start() {
        unwatched = TestServer.tempDir("af-unwatched").resolve("rules");
        a = TestServer.start("bundles", c -> c.withRulesWatch(false).withRulesDir(unwatched));
        b = a.twin();
        compliance = a.token(a.defaultOrganizationId(), "carla", "COMPLIANCE");
    }

    @AfterAll
    void stop() {
        b.close();
        a.close();
    }

    private static String probeRule(String message) {
        return """
                package blueprint.probe;
                import dev.agentfactory.rules.model.*;

                rule "BP-PUB-001 publish probe"
                    @tier(3) @severity("INFO") @description("Marks the publish probe blueprint")
                when
                    BlueprintFact( name == "Publish probe" )
                then
                    insert(Results.finding(drools, "%s", "name"));
                end
                """.formatted(message);
    }

    private static JsonNode status(TestServer server) {
        return server.get("/api/rules/status", TestServer.ADMIN_TOKEN).json();
    }

    private static String version(TestServer server) {
        return status(server).get("version").asText();
    }

    private void awaitBothServe(String version) {
        await().atMost(PROPAGATION).until(() -> version.equals(version(a)) && version.equals(version(b)));
    }

    private long count(String table) {
        return DatabaseOwner.of(a).withHandle(h -> h.createQuery("select count(*) from " + table).mapTo(Long.class).one());
    }

    /** A copy of the shipped rules with the probe rule saying {@code message}, published; its version. */
    private String publishProbe(String message) {
        Path folder = RulesFolder.copyOfShipped();
        RulesFolder.write(folder.resolve("blueprint/probe.drl"), probeRule(message));
        Cli.Run run = Cli.publish(a, folder, "carla", "--reason", "probe " + message);
        assertEquals(0, run.exitCode(), run.toString());
        String version = Bundle.read(folder).version();
        assertTrue(run.output().contains(version), run.toString());
        return version;
    }

    @Test
    void with_an_empty_database_a_server_that_watches_no_folder_serves_the_rules_packed_in_the_jar() {
        JsonNode first = a.get("/api/rules/bundles?limit=100", compliance).json();
        JsonNode oldest = first.get("items").get(first.get("items").size() - 1);
        assertTrue(oldest.get("source").asText().startsWith("packed in the jar"), oldest.toString());
        assertEquals("system", oldest.get("publishedBy").asText());
        assertTrue(oldest.at("/tests/cases").asInt() > 40, oldest.toString());
    }

    @Test
    void a_bundle_published_by_the_cli_goes_live_on_both_servers_and_decisions_name_a_fetchable_version()
            throws Exception {
        String before = version(a);
        Path folder = RulesFolder.copyOfShipped();
        String probe = probeRule("published by the CLI");
        RulesFolder.write(folder.resolve("blueprint/probe.drl"), probe);

        Cli.Run run = Cli.publish(a, folder, "carla", "--reason", "commit 1a2b3c: probe rule");

        assertEquals(0, run.exitCode(), run.toString());
        String version = Bundle.read(folder).version();
        assertTrue(run.output().contains("published and activated " + version), run.toString());
        assertNotEquals(before, version);
        awaitBothServe(version);

        HttpResult validation = b.post("/api/validation/agent", compliance, Blueprints.valid("Publish probe"));
        assertEquals(200, validation.status(), validation.body());
        assertEquals(version, validation.json().get("ruleSetVersion").asText());
        assertTrue(validation.body().contains("published by the CLI"), validation.body());
        String pm = a.token(a.defaultOrganizationId(), "pat", "PM");
        String agent = Agents.createAndDeploy(a, pm, Blueprints.valid("Decides under the bundle"));
        JsonNode decision = Agents.propose(a, Agents.agentToken(a, pm, agent), agent,
                Map.of("actionType", "GenerateRecommendation", "confidence", 0.9, "contactId", "c-1"));
        assertEquals(version, decision.get("ruleSetVersion").asText());

        // the version a decision names is enough to fetch the exact rules behind it, from any server
        String decided = decision.get("ruleSetVersion").asText();
        HttpResult file = b.get("/api/rules/bundles/" + decided + "/files/blueprint/probe.drl", compliance);
        assertEquals(200, file.status(), file.body());
        assertEquals(probe, file.body());
        assertTrue(file.header("Content-Type").startsWith("text/plain"), file.header("Content-Type"));
        String shipped = Files.readString(folder.resolve("actions/tier2-risk.drl"));
        assertEquals(shipped, a.get("/api/rules/bundles/" + decided + "/files/actions/tier2-risk.drl", compliance).body());

        JsonNode detail = a.get("/api/rules/bundles/" + version, compliance).json();
        assertEquals("cli:carla", detail.get("publishedBy").asText());
        assertTrue(detail.get("source").asText().startsWith("cli on "), detail.toString());
        assertTrue(detail.get("source").asText().endsWith(folder.toString()), detail.toString());
        assertTrue(detail.get("active").asBoolean());
        assertTrue(detail.at("/tests/cases").asInt() > 40, detail.toString());
        assertEquals("commit 1a2b3c: probe rule", detail.at("/activations/0/reason").asText());
        assertEquals("cli:carla", detail.at("/activations/0/activatedBy").asText());
        boolean listed = false;
        for (JsonNode f : detail.get("files")) {
            if (f.get("path").asText().equals("blueprint/probe.drl")) {
                listed = true;
                assertEquals(probe.getBytes(StandardCharsets.UTF_8).length, f.get("bytes").asInt());
            }
        }
        assertTrue(listed, detail.toString());
        JsonNode list = b.get("/api/rules/bundles", compliance).json();
        assertEquals(version, list.get("activeVersion").asText());
        assertEquals(version, list.at("/items/0/version").asText(), "newest first");
        assertTrue(list.at("/items/0/active").asBoolean());

        JsonNode published = a.get("/api/audit?action=rules.bundle_published&entityId=" + version, compliance).json();
        assertEquals(1, published.get("total").asInt(), published.toString());
        assertTrue(published.at("/items/0/organizationId").isNull(), "system-wide");
        assertEquals("cli:carla", published.at("/items/0/actor").asText());
        JsonNode activated = a.get("/api/audit?action=rules.bundle_activated&entityId=" + version, compliance).json();
        assertEquals(before, activated.at("/items/0/before/version").asText(), activated.toString());
    }

    @Test
    void publishing_the_active_bundle_again_changes_nothing() {
        Path folder = RulesFolder.copyOfShipped();
        RulesFolder.write(folder.resolve("blueprint/probe.drl"), probeRule("twice"));
        assertEquals(0, Cli.publish(a, folder, "carla").exitCode());
        long activations = count("policy_bundle_activations");

        Cli.Run again = Cli.publish(a, folder, "carla");

        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.output().contains("is active already; nothing changed"), again.toString());
        assertEquals(activations, count("policy_bundle_activations"));
    }

    private void assertRefusedAndNothingChanged(Path folder, String reason, String where) {
        String servingA = version(a);
        String servingB = version(b);
        long bundles = count("policy_bundles");
        long files = count("policy_bundle_files");
        long activations = count("policy_bundle_activations");
        long changes = count("cluster_changes");

        Cli.Run run = Cli.publish(a, folder, "carla");

        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.output().matches("(?s).*" + where + ".*"), run.toString());
        assertTrue(run.output().contains("(" + reason + "); version " + Bundle.read(folder).version()
                + " would be refused"), run.toString());
        assertTrue(run.output().contains("nothing was published"), run.toString());
        assertEquals(bundles, count("policy_bundles"));
        assertEquals(files, count("policy_bundle_files"));
        assertEquals(activations, count("policy_bundle_activations"));
        assertEquals(changes, count("cluster_changes"));
        assertEquals(servingA, version(a));
        assertEquals(servingB, version(b));
    }

    @Test
    void a_bundle_breaking_the_rule_policy_is_refused_and_changes_nothing_anywhere() {
        Path folder = RulesFolder.copyOfShipped();
        RulesFolder.write(folder.resolve("blueprint/probe.drl"), probeRule("x")
                .replace("insert(Results.finding(drools, \"x\", \"name\"));", "java.lang.System.exit(3);"));
        assertRefusedAndNothingChanged(folder, "policy", "blueprint/probe\\.drl:9: ");
    }

    @Test
    void a_bundle_whose_rule_test_fails_is_refused_and_changes_nothing_anywhere() throws Exception {
        Path folder = RulesFolder.copyOfShipped();
        Path risk = folder.resolve("tests/risk.json");
        Files.writeString(risk, Files.readString(risk).replace("\"riskLevel\": \"Medium\", \"fired\": [\"BP-RISK-002\"]",
                "\"riskLevel\": \"Low\", \"fired\": [\"BP-RISK-002\"]"));
        assertRefusedAndNothingChanged(folder, "tests", "tests/risk\\.json:19: test case 'BP-RISK-002");
    }

    @Test
    void a_bundle_whose_templates_do_not_compile_is_refused_and_changes_nothing_anywhere() throws Exception {
        Path folder = RulesFolder.copyOfShipped();
        Path policy = folder.resolve("templates/agent-policy.drt");
        Files.writeString(policy, Files.readString(policy).replace("when\nthen", "when\n    AgentPolicy( == )\nthen"));
        assertRefusedAndNothingChanged(folder, "templates", "templates/agent-policy\\.drt");
    }

    /** {@code rules publish} against the servers' database, without their audit key file. */
    private Cli.Run publishWithout(Path folder, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("rules", "publish", folder.toString(),
                "--db-url", a.config().dbUrl().orElseThrow(), "--db-user", a.config().dbUser(),
                "--db-password", a.config().dbPassword()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void the_cli_stores_nothing_without_the_servers_audit_key_or_database() {
        Path folder = RulesFolder.copyOfShipped();
        RulesFolder.write(folder.resolve("blueprint/probe.drl"), probeRule("without the key"));
        long bundles = count("policy_bundles");

        Cli.Run wrongKey = publishWithout(folder, "--data-dir", TestServer.tempDir("af-no-key").toString(),
                "--audit-key", "not-the-key-of-this-audit-trail-0123456789");
        assertEquals(1, wrongKey.exitCode(), wrongKey.toString());
        assertTrue(wrongKey.output().contains("is not the key this database's audit trail is sealed with"),
                wrongKey.toString());
        assertFalse(wrongKey.output().contains("not-the-key-of-this-audit-trail"), "the key is never printed");

        Cli.Run noKey = publishWithout(folder, "--data-dir", TestServer.tempDir("af-no-key").toString());
        assertEquals(1, noKey.exitCode(), noKey.toString());
        assertTrue(noKey.output().contains("no audit key"), noKey.toString());

        Cli.Run noDatabase = Cli.run("rules", "publish", folder.toString(), "--db-url", "");
        assertEquals(1, noDatabase.exitCode(), noDatabase.toString());
        assertTrue(noDatabase.output().contains("no database"), noDatabase.toString());
        Cli.Run unreachable = Cli.run("rules", "publish", folder.toString(),
                "--db-url", "jdbc:postgresql://127.0.0.1:1/nothing");
        assertEquals(1, unreachable.exitCode(), unreachable.toString());
        assertTrue(unreachable.output().contains("cannot publish: cannot connect to PostgreSQL"), unreachable.toString());
        Cli.Run badName = Cli.publish(a, folder, "carla:admin");
        assertEquals(1, badName.exitCode(), badName.toString());

        assertEquals(bundles, count("policy_bundles"));
    }

    @Test
    void a_candidate_is_stored_without_deciding_anything_until_it_is_activated() {
        String before = version(a);
        Path folder = RulesFolder.copyOfShipped();
        RulesFolder.write(folder.resolve("blueprint/probe.drl"), probeRule("a candidate"));
        String candidate = Bundle.read(folder).version();

        Cli.Run run = Cli.publish(a, folder, "carla", "--candidate");

        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.output().contains("stored the candidate " + candidate), run.toString());
        JsonNode stored = a.get("/api/rules/bundles/" + candidate, compliance).json();
        assertFalse(stored.get("active").asBoolean(), stored.toString());
        assertEquals(before, version(a));
        assertEquals(before, version(b));
        assertEquals(1, a.get("/api/audit?action=rules.bundle_published&entityId=" + candidate, compliance).json()
                .get("total").asInt());
        assertEquals(0, a.get("/api/audit?action=rules.bundle_activated&entityId=" + candidate, compliance).json()
                .get("total").asInt());

        assertEquals(200, a.post("/api/rules/bundles/" + candidate + "/activate", TestServer.ADMIN_TOKEN,
                Map.of("reason", "the candidate did well in shadow")).status());
        awaitBothServe(candidate);
    }

    @Test
    void the_system_administrator_rolls_back_and_forward_in_one_call_and_both_servers_follow() {
        String older = publishProbe("older");
        String newer = publishProbe("newer");
        awaitBothServe(newer);

        HttpResult rollback = a.post("/api/rules/bundles/" + older + "/activate", TestServer.ADMIN_TOKEN,
                Map.of("reason", "incident 42: the newer rules block every lead"));

        assertEquals(200, rollback.status(), rollback.body());
        assertEquals(newer, rollback.json().get("previous").asText());
        assertFalse(rollback.json().get("published").asBoolean());
        awaitBothServe(older);
        JsonNode audited = a.get("/api/audit?action=rules.bundle_activated&entityId=" + older, compliance).json();
        assertEquals("incident 42: the newer rules block every lead", audited.at("/items/0/after/reason").asText());
        assertEquals("admin", audited.at("/items/0/actor").asText());
        assertEquals(newer, audited.at("/items/0/before/version").asText());
        assertTrue(audited.at("/items/0/organizationId").isNull());

        HttpResult again = a.post("/api/rules/bundles/" + older + "/activate", TestServer.ADMIN_TOKEN,
                Map.of("reason", "once more"));
        assertEquals(200, again.status(), again.body());
        assertTrue(again.json().get("activation").isNull(), "active already: nothing to record " + again.body());

        assertEquals(200, b.post("/api/rules/bundles/" + newer + "/activate", TestServer.ADMIN_TOKEN,
                Map.of("reason", "fixed forward")).status());
        awaitBothServe(newer);
    }

    @Test
    void only_the_system_administrator_activates_and_bad_requests_are_4xx_naming_the_field() {
        String version = version(a);
        String other = a.organization("bundles-tenant-" + System.nanoTime());
        String tenantAdmin = a.token(other, "tina", "ADMIN");
        String tenantCompliance = a.token(other, "cora", "COMPLIANCE");
        String defaultAdmin = a.token(a.defaultOrganizationId(), "dana", "ADMIN");
        Map<String, String> body = Map.of("reason", "a tenant switching everyone's rules");

        for (String token : List.of(tenantAdmin, defaultAdmin, tenantCompliance, compliance)) {
            HttpResult refused = a.post("/api/rules/bundles/" + version + "/activate", token, body);
            assertEquals(403, refused.status(), refused.body());
        }
        assertEquals(200, a.get("/api/rules/bundles", tenantCompliance).status(), "reading is for every organization");
        assertEquals(200, a.get("/api/rules/bundles/" + version, tenantAdmin).status());
        assertEquals(403, a.get("/api/rules/bundles", a.token(other, "pia", "PM")).status());
        assertEquals(401, a.get("/api/rules/bundles", null).status());

        String admin = TestServer.ADMIN_TOKEN;
        HttpResult unknown = a.post("/api/rules/bundles/" + "f".repeat(32) + "/activate", admin, Map.of("reason", "r"));
        assertEquals(404, unknown.status(), unknown.body());
        assertEquals(404, a.get("/api/rules/bundles/" + "f".repeat(32), admin).status());
        assertEquals(404, a.get("/api/rules/bundles/" + version + "/files/no/such.drl", admin).status());
        HttpResult nul = a.get("/api/rules/bundles/" + version + "/files/"
                + URLEncoder.encode("a\u0001b", StandardCharsets.UTF_8), admin);
        assertEquals(404, nul.status(), nul.body() + " " + nul.headers());
        HttpResult malformed = a.get("/api/rules/bundles/NOT-A-VERSION", admin);
        assertEquals(400, malformed.status(), malformed.body());
        assertEquals(List.of("version"), malformed.errorFields());
        for (Object bad : List.of(Map.of(), Map.of("reason", " "), Map.of("reason", "x".repeat(1001)),
                Map.of("reason", 7))) {
            HttpResult refused = a.post("/api/rules/bundles/" + version + "/activate", admin, bad);
            assertEquals(400, refused.status(), refused.body());
            assertEquals(List.of("reason"), refused.errorFields(), refused.body());
        }
        HttpResult unknownField = a.post("/api/rules/bundles/" + version + "/activate", admin,
                Map.of("reason", "r", "version", "x"));
        assertEquals(400, unknownField.status(), unknownField.body());
        assertEquals(400, a.post("/api/rules/bundles/" + version + "/activate", admin, "").status());
        assertEquals(version, version(a), "nothing was activated");
    }

    @Test
    void a_bundle_a_server_cannot_build_leaves_it_serving_the_one_before_and_it_says_so() {
        String good = version(a);
        // Stored files that no longer hash to their version: what the database owner could slip in. Only the
        // owner can write this; the servers refuse to serve it.
        String forged = "0123456789abcdef0123456789abcdef";
        DatabaseOwner.of(a).useTransaction(h -> {
            h.execute("insert into policy_bundles (version, published_by, source, tests) values (?, 'mallory', 'sql', '{}')",
                    forged);
            h.execute("""
                    insert into policy_bundle_files (version, path, text)
                    select ?, path, text from policy_bundle_files where version = ?
                    """, forged, good);
            h.execute("insert into policy_bundle_activations (version, activated_by, reason) values (?, 'mallory', 'x')",
                    forged);
            dev.agentfactory.cluster.ChangeLog.record(h, BundleStore.CHANGE, null, forged);
        });
        try {
            for (TestServer server : List.of(a, b)) {
                await().atMost(PROPAGATION).until(() -> forged.equals(status(server).at("/lastRefusal/version").asText()));
                JsonNode status = status(server);
                assertEquals(good, status.get("version").asText(), "the bundle before keeps serving");
                assertEquals(forged, status.get("activeVersion").asText());
                assertFalse(status.get("inSync").asBoolean());
                assertEquals("files", status.at("/lastRefusal/reason").asText());
                assertTrue(status.at("/lastRefusal/errors/0/message").asText().contains("changed in the database"));
                HttpResult health = server.get("/health", null);
                assertEquals(200, health.status(), "it still serves a tested bundle");
                assertFalse(health.json().at("/bundle/inSync").asBoolean(), health.body());
                assertEquals(good, validationVersion(server));
            }
            JsonNode audited = a.get("/api/audit?action=rules.refused&entityId=" + forged, compliance).json();
            assertEquals(2, audited.get("total").asInt(), "each server audits its refusal: " + audited);

            HttpResult activation = a.post("/api/rules/bundles/" + forged + "/activate", TestServer.ADMIN_TOKEN,
                    Map.of("reason", "activate the forged bundle"));
            assertEquals(422, activation.status(), activation.body());
            assertEquals("bundle_refused", activation.json().at("/error/code").asText());
        } finally {
            assertEquals(200, a.post("/api/rules/bundles/" + good + "/activate", TestServer.ADMIN_TOKEN,
                    Map.of("reason", "back to the good bundle")).status());
            awaitBothServe(good);
        }
        assertTrue(status(b).get("inSync").asBoolean());
    }

    private String validationVersion(TestServer server) {
        HttpResult validation = server.post("/api/validation/agent", compliance, Blueprints.valid("x"));
        assertEquals(200, validation.status(), validation.body());
        return validation.json().get("ruleSetVersion").asText();
    }

    @Test
    void a_server_that_watches_no_folder_never_reads_one() {
        assertFalse(Files.exists(unwatched), "not even created: the jar's rules are published to the database instead");
        assertTrue(status(a).get("watching").isNull());
        HttpResult reload = a.post("/api/rules/reload", compliance, "{}");
        assertEquals(409, reload.status(), reload.body());
        assertTrue(reload.json().at("/error/message").asText().contains("AF_RULES_WATCH=false"), reload.body());
        JsonNode health = a.get("/health", null).json();
        assertEquals(version(a), health.at("/bundle/serving").asText());
        assertTrue(health.at("/bundle/inSync").asBoolean(), health.toString());
    }

    @Test
    void stored_bundles_cannot_be_changed_by_the_server_s_role_nor_by_the_owner_with_the_triggers_on() {
        String version = version(a);
        for (String rewrite : List.of("update policy_bundle_files set text = 'x' where version = ?",
                "delete from policy_bundle_files where version = ?", "update policy_bundles set source = 'x' where version = ?",
                "delete from policy_bundle_activations where version = ?")) {
            Exception byServer = assertThrows(Exception.class, () -> a.jdbi().useHandle(h -> h.execute(rewrite, version)));
            assertTrue(byServer.getMessage().contains("permission denied"), rewrite + ": " + byServer.getMessage());
            Exception byOwner = assertThrows(Exception.class,
                    () -> DatabaseOwner.of(a).useHandle(h -> h.execute(rewrite, version)));
            assertTrue(byOwner.getMessage().contains("append-only"), rewrite + ": " + byOwner.getMessage());
        }
        assertEquals(version, version(a));
    }
}
