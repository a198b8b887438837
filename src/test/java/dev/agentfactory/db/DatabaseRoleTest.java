package dev.agentfactory.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentfactory.App;
import dev.agentfactory.Config;
import dev.agentfactory.support.TestDatabase;
import dev.agentfactory.support.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The server works as a database role that may insert history but never change it: not through its
 * pool, not through its listener connection, not by switching the triggers off. Migrations and the
 * grants run as the configured (owner) login.
 */
class DatabaseRoleTest {
    private static final List<String> REWRITES = List.of(
            "set session_replication_role = replica",
            "alter table audit_log disable trigger audit_log_append_only",
            "update audit_log set actor = 'mallory'",
            "delete from audit_log",
            "truncate audit_log",
            "update audit_seals set hash = 'x'",
            "delete from audit_seals",
            "delete from audit_keys",
            "update blueprint_versions set snapshot = '{}'",
            "delete from flyway_schema_history",
            // moving the audit id sequence would make every later audited write a duplicate key
            "select setval(pg_get_serial_sequence('audit_log', 'id'), 1)",
            // a revoked token stays revoked
            "update api_tokens set revoked_at = null where revoked_at is not null");

    @Test
    void the_servers_own_connections_cannot_rewrite_history_but_can_append_to_it() throws Exception {
        TestServer server = TestServer.start("approle");
        try {
            Jdbi pool = server.jdbi();
            String revoked = server.post("/api/tokens", TestServer.ADMIN_TOKEN, java.util.Map.of("principal", "gone",
                    "roles", List.of("PM"))).json().get("id").asText();
            assertEquals(204, server.delete("/api/tokens/" + revoked, TestServer.ADMIN_TOKEN).status());
            assertEquals(Config.DEFAULT_DB_APP_ROLE, pool.withHandle(h -> h.createQuery("select current_user")
                    .mapTo(String.class).one()));
            for (String rewrite : REWRITES) {
                Exception refused = assertThrows(Exception.class, () -> pool.useHandle(h -> h.execute(rewrite)), rewrite);
                assertTrue(refused.getMessage().contains("permission denied") || refused.getMessage().contains("must be owner")
                                || refused.getMessage().contains("stays revoked"),
                        rewrite + ": " + refused.getMessage());
            }
            long appended = pool.withHandle(h -> h.createQuery("""
                    insert into audit_log (organization_id, actor, action, entity_type, entity_id)
                    values (null, 'probe', 'probe.appended', 'probe', 'p-1') returning id
                    """).mapTo(Long.class).one());
            assertTrue(appended > 0);
            try (Connection listener = server.app().database().newConnection();
                 Statement statement = listener.createStatement()) {
                try (ResultSet rs = statement.executeQuery("select current_user")) {
                    rs.next();
                    assertEquals(Config.DEFAULT_DB_APP_ROLE, rs.getString(1));
                }
                Exception refused = assertThrows(Exception.class, () -> statement.execute("delete from audit_log"));
                assertTrue(refused.getMessage().contains("permission denied"), refused.getMessage());
            }
            // Grants are made at every start, so a restart (and tables of later migrations) keep them.
            server = server.restart();
            Jdbi again = server.jdbi();
            assertThrows(Exception.class, () -> again.useHandle(h -> h.execute("delete from audit_log")));
            assertEquals(200, server.get("/api/audit?limit=1", TestServer.ADMIN_TOKEN).status());
        } finally {
            server.close();
        }
    }

    @Test
    void a_role_that_could_rewrite_history_is_refused() {
        TestDatabase.Target target = TestDatabase.newSchema("approlesuper");
        // The login the tests use is a superuser, and owns the tables.
        Exception refused = assertThrows(IllegalStateException.class,
                () -> App.create(config(target, target.user()).withDbAppRole(target.user())));
        assertTrue(refused.getMessage().contains("could rewrite the audit trail"), refused.getMessage());
    }

    @Test
    void a_role_name_that_is_not_a_plain_sql_name_is_refused() {
        Exception refused = assertThrows(IllegalArgumentException.class,
                () -> Config.defaults().withDbAppRole("app; drop table audit_log"));
        assertTrue(refused.getMessage().startsWith("AF_DB_APP_ROLE must be a lower-case SQL name"), refused.getMessage());
    }

    @Test
    void with_no_role_the_server_works_as_the_database_user() {
        try (TestServer server = TestServer.start("approlenone", c -> c.withDbAppRole(""))) {
            assertEquals(server.config().dbUser(), server.jdbi().withHandle(h -> h.createQuery("select current_user")
                    .mapTo(String.class).one()));
        }
    }

    @Test
    void an_owner_that_may_not_create_roles_is_told_how_and_starts_once_the_role_exists() throws Exception {
        TestDatabase.Target target = TestDatabase.newSchema("approleowner");
        String suffix = target.schema().substring("t_approleowner".length());
        String login = "af_owner" + suffix;
        String role = "af_app" + suffix;
        try (Connection admin = DriverManager.getConnection(target.url(), target.user(), target.password());
             Statement sql = admin.createStatement()) {
            sql.execute("create role " + login + " login");
            sql.execute("alter schema " + target.schema() + " owner to " + login);
            try {
                Config config = config(target, login).withDbAppRole(role);

                Exception refused = assertThrows(IllegalStateException.class, () -> App.create(config));
                assertTrue(refused.getMessage().contains("cannot set up the database role " + role + " as " + login),
                        refused.getMessage());
                assertTrue(refused.getMessage().contains("CREATE ROLE " + role + " NOLOGIN; GRANT " + role + " TO "
                        + login + ";"), refused.getMessage());
                assertTrue(refused.getMessage().contains("AF_DB_APP_ROLE="), refused.getMessage());
                assertEquals(1, refused.getMessage().lines().count(), "one line for the operator");

                sql.execute("create role " + role + " nologin");
                sql.execute("grant " + role + " to " + login);
                try (App app = App.create(config).start()) {
                    Jdbi pool = app.database().jdbi();
                    assertEquals(role, pool.withHandle(h -> h.createQuery("select current_user").mapTo(String.class).one()));
                    assertThrows(Exception.class, () -> pool.useHandle(h -> h.execute("delete from audit_log")));
                }
            } finally {
                sql.execute("drop schema " + target.schema() + " cascade");
                sql.execute("drop owned by " + login + ", " + role + " cascade");
                sql.execute("drop role if exists " + role);
                sql.execute("drop role " + login);
            }
        }
    }

    @Test
    void the_embedded_database_works_as_the_role_too() {
        Config config = Config.defaults().withWarmUp(java.time.Duration.ZERO).withPort(0).withDataDir(TestServer.tempDir("af-approle-embedded"));
        try (App app = App.create(config).start()) {
            Jdbi pool = app.database().jdbi();
            assertEquals(Config.DEFAULT_DB_APP_ROLE, pool.withHandle(h -> h.createQuery("select current_user")
                    .mapTo(String.class).one()));
            assertThrows(Exception.class, () -> pool.useHandle(h -> h.execute("update audit_log set actor = 'x'")));
        }
    }

    private static Config config(TestDatabase.Target target, String login) {
        return Config.defaults().withWarmUp(java.time.Duration.ZERO).withPort(0).withDatabase(target.url(), login, target.password())
                .withDataDir(TestServer.tempDir("af-approle")).withRulesDir(Path.of("rules"))
                .withAdminToken(TestServer.ADMIN_TOKEN);
    }
}
