package dev.agentfactory.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.App;
import dev.agentfactory.Config;
import dev.agentfactory.support.DatabaseOwner;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestDatabase;
import dev.agentfactory.support.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** A server rehearses decisions on a throwaway copy of itself before it is ready, and nothing of it stays. */
class RehearsalTest {
    private static final Duration WARM_UP = Duration.ofSeconds(3);

    @Test
    void a_server_answers_but_is_not_ready_while_it_rehearses_then_nothing_of_the_rehearsal_stays() throws Exception {
        List<String> before = rehearsalSchemas();
        try (TestServer server = TestServer.start("rehearsal", c -> c.withWarmUp(WARM_UP))) {
            HttpResult early = server.get("/health", null);
            assertEquals(503, early.status(), early.body());
            assertEquals("WARMING_UP", early.json().get("status").asText(), early.body());
            assertEquals("REHEARSING", early.json().get("warmUp").get("state").asText(), early.body());
            HttpResult me = server.get("/api/me", TestServer.ADMIN_TOKEN);
            assertEquals(200, me.status(), "the API answers while the server rehearses: " + me.body());

            JsonNode ready = TestServer.awaitReady(server.app().port()).json();
            assertEquals("UP", ready.get("status").asText(), ready.toString());
            assertEquals("DONE", ready.get("warmUp").get("state").asText(), ready.toString());
            assertTrue(ready.get("warmUp").get("decisions").asLong() > 0, ready.toString());
            assertTrue(ready.get("warmUp").get("ruleReloads").asInt() > 0, ready.toString());

            // the copy reloaded a copy of the rules folder: the server's folder is untouched, and nothing the
            // copy reloaded serves here or is stored in the server's schema
            assertEquals(dev.agentfactory.rules.Bundle.read(java.nio.file.Path.of("rules")).version(),
                    server.get("/api/rules/status", TestServer.ADMIN_TOKEN).json().get("version").asText());
            Jdbi owner = DatabaseOwner.of(server);
            assertEquals(1, count(owner, "select count(*) from policy_bundles"));
            assertEquals(0, count(owner, "select count(*) from decisions"));
            assertEquals(0, count(owner, "select count(*) from blueprints"));
            assertEquals(0, count(owner, "select count(*) from audit_log where action in ('decision.made', "
                    + "'blueprint.created', 'agent.deployed')"));
            assertEquals(before, rehearsalSchemas(), "the copy's schema is dropped");
        }
    }

    @Test
    void a_server_stopped_while_it_rehearses_stops_its_copy_and_drops_the_copys_schema() throws Exception {
        List<String> before = rehearsalSchemas();
        TestServer server = TestServer.start("rehearsalstop", c -> c.withWarmUp(Duration.ofSeconds(120)));
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (server.get("/health", null).json().get("warmUp").get("decisions").asLong() == 0) {
                assertTrue(System.nanoTime() < deadline, "no decision rehearsed within 60 s");
                Thread.sleep(100);
            }
            assertEquals(before.size() + 1, rehearsalSchemas().size(), "the copy works on a schema of its own");
        } finally {
            long stopping = System.nanoTime();
            server.close();
            assertTrue(System.nanoTime() - stopping < Duration.ofSeconds(40).toNanos(), "stopped in time");
        }
        assertEquals(before, rehearsalSchemas(), "the copy's schema is dropped when the server stops");
    }

    @Test
    void a_rehearsal_that_cannot_run_is_skipped_with_a_note_and_the_server_is_ready_all_the_same() throws Exception {
        TestDatabase.Target target = TestDatabase.newSchema("rehearsalskip");
        String login = "af_nocreate" + target.schema().substring("t_rehearsalskip".length());
        try (Connection admin = DriverManager.getConnection(target.url(), target.user(), target.password());
             Statement sql = admin.createStatement()) {
            // owns its schema, but may not create another one in the database
            sql.execute("create role " + login + " login");
            sql.execute("alter schema " + target.schema() + " owner to " + login);
            try {
                Config config = Config.defaults().withPort(0).withWarmUp(WARM_UP).withDbAppRole("")
                        .withDatabase(target.url(), login, target.password())
                        .withDataDir(TestServer.tempDir("af-rehearsal-skip")).withRulesDir(Path.of("rules"))
                        .withAdminToken(TestServer.ADMIN_TOKEN).withRulesWarmUp(Duration.ZERO);
                try (App app = App.create(config).start()) {
                    JsonNode ready = TestServer.awaitReady(app.port()).json();
                    assertEquals("SKIPPED", ready.get("warmUp").get("state").asText(), ready.toString());
                    assertTrue(ready.get("warmUp").get("note").asText().contains("permission denied"), ready.toString());
                }
            } finally {
                sql.execute("drop schema " + target.schema() + " cascade");
                sql.execute("drop owned by " + login + " cascade");
                sql.execute("drop role " + login);
            }
        }
    }

    @Test
    void the_rehearsal_lasts_0_to_300_seconds_and_a_length_outside_is_refused_naming_the_setting() {
        for (Duration wrong : List.of(Duration.ofSeconds(-1), Duration.ofSeconds(301))) {
            IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> Config.defaults().withWarmUp(wrong));
            assertTrue(refused.getMessage().contains("AF_WARM_UP_SECONDS must be 0 to 300"), refused.getMessage());
        }
        assertEquals(Duration.ofSeconds(30), Config.defaults().warmUp(), "java -jar rehearses 30 s");
        assertEquals(Duration.ZERO, Config.defaults().withWarmUp(Duration.ZERO).warmUp());
    }

    @Test
    void the_copy_takes_its_own_schema_whatever_schema_the_url_names() {
        assertEquals("jdbc:postgresql://h/db?currentSchema=r", Rehearsal.inSchema("jdbc:postgresql://h/db", "r"));
        assertEquals("jdbc:postgresql://h/db?ssl=true&currentSchema=r",
                Rehearsal.inSchema("jdbc:postgresql://h/db?ssl=true", "r"));
        assertEquals("jdbc:postgresql://h/db?currentSchema=r",
                Rehearsal.inSchema("jdbc:postgresql://h/db?currentSchema=t_1", "r"));
        assertEquals("jdbc:postgresql://h/db?ssl=true&currentSchema=r",
                Rehearsal.inSchema("jdbc:postgresql://h/db?currentSchema=t_1&ssl=true", "r"));
        assertEquals("jdbc:postgresql://h/db?ssl=true&currentSchema=r",
                Rehearsal.inSchema("jdbc:postgresql://h/db?ssl=true&currentSchema=t_1", "r"));
    }

    private static long count(Jdbi owner, String sql) {
        return owner.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    /** Every rehearsal schema in the tests' database, whoever left it. */
    private static List<String> rehearsalSchemas() {
        TestDatabase.Target any = TestDatabase.newSchema("rehearsalprobe");
        return Jdbi.create(any.url(), any.user(), any.password()).withHandle(h -> {
            List<String> schemas = h.createQuery("select nspname from pg_namespace where nspname like 'af\\_rehearsal\\_%'")
                    .mapTo(String.class).list();
            h.execute("drop schema " + any.schema());
            return schemas;
        });
    }
}
