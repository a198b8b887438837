package dev.agentfactory.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code GET /api/cluster} lists the instances sharing the database and says whether they serve the same thing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTest {
    private TestServer a;
    private TestServer b;
    private String org;
    private String pm;
    private String admin;

    @BeforeAll
    void start() {
        a = TestServer.start("cluster");
        b = a.twin();
        org = a.organization("clustered");
        pm = a.token(org, "pat", "PM");
        admin = a.token(org, "ada", "ADMIN");
    }

    @AfterAll
    void stop() {
        b.close();
        a.close();
    }

    @Test
    void both_instances_are_listed_with_what_they_serve_and_they_agree() {
        String id = Agents.createAndDeploy(a, pm, Agents.leadAgent("Listed"));

        JsonNode cluster = awaitCluster(b, TestServer.ADMIN_TOKEN, view -> settled(view)
                && view.get("liveInstances").asInt() == 2 && everyInstanceServes(view, 1));

        List<String> ids = instanceIds(cluster);
        assertTrue(ids.contains(a.app().instance().id().toString()), cluster.toString());
        assertTrue(ids.contains(b.app().instance().id().toString()), cluster.toString());
        for (JsonNode instance : cluster.get("instances")) {
            assertFalse(instance.get("stale").asBoolean());
            assertTrue(instance.get("agrees").asBoolean());
            assertTrue(instance.has("host") && instance.has("pid"), "the system administrator sees hosts");
            assertEquals(cluster.get("instances").get(0).get("ruleSet"), instance.get("ruleSet"));
        }
        assertEquals(b.app().instance().id().toString(), selfId(cluster));
        assertEquals(0, cluster.get("differences").size());
        assertTrue(cluster.get("latestChange").asLong() > 0);

        JsonNode health = a.get("/health", null).json();
        assertEquals(a.app().instance().id().toString(), health.at("/instance/id").asText());
        assertTrue(health.at("/instance/appliedChange").asLong() > 0, health.toString());
        assertEquals("Active", a.get("/api/agents/" + id, pm).json().get("status").asText());
    }

    @Test
    void an_instance_that_stops_applying_changes_is_reported_with_what_differs() {
        String id = Agents.createAndDeploy(a, pm, Agents.leadAgent("Diverging"));
        try (TestServer third = a.twin()) {
            String thirdId = third.app().instance().id().toString();
            awaitCluster(a, TestServer.ADMIN_TOKEN, view -> settled(view) && view.get("liveInstances").asInt() == 3);
            third.app().changes().close();

            assertEquals(200, a.post("/api/agents/" + id + "/pause", pm, "").status());

            JsonNode settling = awaitCluster(a, TestServer.ADMIN_TOKEN, view -> view.get("settling").asBoolean());
            assertTrue(settling.get("agree").asBoolean(), "a change on its way is no disagreement yet: " + settling);

            JsonNode cluster = awaitCluster(a, TestServer.ADMIN_TOKEN, view -> !view.get("agree").asBoolean());
            assertEquals(2, cluster.get("differences").size(), cluster.toString());
            JsonNode difference = cluster.get("differences").get(0);
            assertEquals(thirdId, difference.get("instance").asText());
            assertEquals("agent", difference.get("kind").asText());
            assertEquals(id, difference.get("subject").asText());
            assertTrue(difference.get("expected").asText().endsWith("paused"), difference.toString());
            assertTrue(difference.get("actual").asText().endsWith("running"), difference.toString());
            assertFalse(difference.get("settling").asBoolean());
            JsonNode stuck = cluster.get("differences").get(1);
            assertEquals(thirdId, stuck.get("instance").asText());
            assertEquals("changes", stuck.get("kind").asText(), "it stopped applying changes: " + stuck);
            for (JsonNode instance : cluster.get("instances")) {
                assertEquals(!instance.get("id").asText().equals(thirdId), instance.get("agrees").asBoolean());
            }

            JsonNode own = a.get("/api/cluster", admin).json();
            assertFalse(own.get("agree").asBoolean(), "the organization's ADMIN sees its agent differ");
            String other = a.organization("elsewhere");
            JsonNode elsewhere = a.get("/api/cluster", a.token(other, "eve", "ADMIN")).json();
            assertTrue(elsewhere.get("agree").asBoolean(), "another organization's agents are none of its business: "
                    + elsewhere);
        }
        JsonNode after = awaitCluster(a, TestServer.ADMIN_TOKEN, view -> view.get("liveInstances").asInt() == 2);
        assertEquals(2, after.get("instances").size(), "a clean shutdown removes the instance: " + after);
        assertTrue(after.get("agree").asBoolean(), after.toString());
        assertEquals(200, a.post("/api/agents/" + id + "/resume", pm, "").status());
    }

    @Test
    void an_instance_that_stopped_heartbeating_is_stale_and_not_counted() {
        UUID crashed = UUID.randomUUID();
        a.jdbi().useHandle(h -> h.createUpdate("""
                insert into cluster_instances (id, host, pid, address, started_at, last_seen, applied_change, serving)
                values (:id, 'gone', 4242, 'http://10.0.0.9:8080', now() - interval '1 hour', now() - interval '1 minute',
                        1, '{"ruleSet": "old", "agents": {}, "customRules": {}}')
                """).bind("id", crashed).execute());
        try {
            JsonNode cluster = a.get("/api/cluster", TestServer.ADMIN_TOKEN).json();
            JsonNode listed = null;
            for (JsonNode instance : cluster.get("instances")) {
                if (instance.get("id").asText().equals(crashed.toString())) {
                    listed = instance;
                }
            }
            assertTrue(listed != null && listed.get("stale").asBoolean(), cluster.toString());
            assertFalse(listed.get("agrees").asBoolean());
            assertEquals(2, cluster.get("liveInstances").asInt());
            assertTrue(awaitCluster(a, TestServer.ADMIN_TOKEN, ClusterTest::settled).get("agree").asBoolean(),
                    "a stale instance does not make the live ones disagree");
        } finally {
            a.jdbi().useHandle(h -> h.createUpdate("delete from cluster_instances where id = :id")
                    .bind("id", crashed).execute());
        }
    }

    @Test
    void an_organization_admin_sees_its_own_agents_without_hosts_and_others_may_not_look() {
        String id = Agents.createAndDeploy(a, pm, Agents.leadAgent("Mine"));
        String other = a.organization("neighbours");
        Agents.createAndDeploy(a, a.token(other, "nina", "PM"), Agents.leadAgent("Theirs"));

        JsonNode cluster = awaitCluster(a, admin, ClusterTest::settled);

        long mine = a.get("/api/agents?status=Active&limit=100", pm).json().get("total").asLong();
        for (JsonNode instance : cluster.get("instances")) {
            assertFalse(instance.has("host") || instance.has("pid") || instance.has("address"), instance.toString());
            assertEquals(mine, instance.get("agents").asLong(), "only its organization's agents: " + instance);
        }
        assertFalse(cluster.toString().contains(a.defaultOrganizationId()));
        assertEquals(403, a.get("/api/cluster", pm).status());
        assertEquals(401, a.get("/api/cluster", null).status());
        assertEquals("Active", a.get("/api/agents/" + id, pm).json().get("status").asText());
    }

    private static JsonNode awaitCluster(TestServer server, String token, java.util.function.Predicate<JsonNode> until) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = server.get("/api/cluster", token).json();
            return until.test(last[0]);
        });
        return last[0];
    }

    /** Every live instance agrees and no change is on its way. */
    private static boolean settled(JsonNode view) {
        return view.get("agree").asBoolean() && !view.get("settling").asBoolean();
    }

    private static boolean everyInstanceServes(JsonNode view, int atLeast) {
        for (JsonNode instance : view.get("instances")) {
            if (instance.get("agents").asInt() < atLeast) {
                return false;
            }
        }
        return true;
    }

    private static List<String> instanceIds(JsonNode view) {
        List<String> ids = new ArrayList<>();
        view.get("instances").forEach(instance -> ids.add(instance.get("id").asText()));
        return ids;
    }

    private static String selfId(JsonNode view) {
        for (JsonNode instance : view.get("instances")) {
            if (instance.get("self").asBoolean()) {
                return instance.get("id").asText();
            }
        }
        return null;
    }
}
