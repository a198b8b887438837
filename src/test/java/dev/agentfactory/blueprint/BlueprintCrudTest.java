package dev.agentfactory.blueprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlueprintCrudTest {
    private TestServer server;
    private String pm;
    private String org;

    @BeforeAll
    void start() {
        server = TestServer.start("crud");
        org = server.organization("crud-org");
        pm = server.token(org, "pat.pm", "PM");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void creating_returns_the_stored_draft_with_defaults_location_and_etag() {
        HttpResult created = server.post("/api/agents", pm, Map.of("name", "Minimal agent"));

        assertEquals(201, created.status(), created.body());
        JsonNode body = created.json();
        String id = body.get("id").asText();
        assertEquals("/api/agents/" + id, created.header("Location"));
        assertEquals("\"1\"", created.header("ETag"));
        assertEquals("Draft", body.get("status").asText());
        assertEquals(1, body.get("version").asInt());
        assertEquals("pat.pm", body.get("createdBy").asText());
        assertEquals(org, body.get("organizationId").asText());
        assertNotNull(body.get("createdAt").asText());
        assertEquals("Hybrid", body.at("/actionConfig/maxAllowedScope").asText());
        assertEquals("RiskBased", body.at("/actionConfig/overrideMode").asText());
        assertEquals(0.7, body.at("/actionConfig/riskThreshold").asDouble());
        assertEquals(1, body.at("/actionConfig/requiredApprovals").asInt());
        assertEquals("PT24H", body.at("/actionConfig/approvalTimeout").asText());
        assertEquals(0.7, body.at("/validationConfig/minConfidenceThreshold").asDouble());
        assertEquals("RealEstate", body.get("industryProfile").asText());
        assertEquals("ContactOnly", body.at("/contextConfig/accessLevel").asText());

        HttpResult fetched = server.get("/api/agents/" + id, pm);
        assertEquals(200, fetched.status());
        assertEquals(body, fetched.json());
        assertEquals("\"1\"", fetched.header("ETag"));
    }

    @Test
    void a_round_trip_keeps_every_field() {
        Map<String, Object> spec = Blueprints.valid("Round trip");
        JsonNode created = server.post("/api/agents", pm, spec).json();
        JsonNode fetched = server.get("/api/agents/" + created.get("id").asText(), pm).json();

        assertEquals("Book a viewing with every qualified lead within a day", fetched.get("goal").asText());
        assertEquals(List.of("SendEmail", "GenerateRecommendation"),
                texts(fetched.at("/actionConfig/allowedActionTypes")));
        assertEquals(0.75, fetched.at("/validationConfig/minConfidenceThreshold").asDouble());
        assertEquals("lead-follow-up-v1", fetched.at("/promptConfig/promptTemplateId").asText());
        assertEquals(List.of("interaction.completed"), texts(fetched.at("/triggerConfig/eventTriggers")));
    }

    @Test
    void updating_bumps_the_version_and_records_who_changed_it() {
        String id = create("Versioned");
        Map<String, Object> changed = Blueprints.with(Blueprints.valid("Versioned v2"), "actionConfig",
                "riskThreshold", 0.5);

        HttpResult updated = server.put("/api/agents/" + id, pm, changed, "If-Match", "\"1\"");

        assertEquals(200, updated.status(), updated.body());
        assertEquals(2, updated.json().get("version").asInt());
        assertEquals("\"2\"", updated.header("ETag"));
        assertEquals("Versioned v2", updated.json().get("name").asText());
        assertEquals(0.5, updated.json().at("/actionConfig/riskThreshold").asDouble());
        assertEquals("pat.pm", updated.json().get("modifiedBy").asText());
        assertFalse(updated.json().get("lastModified").isNull());
    }

    @Test
    void a_stale_if_match_is_refused_with_412_and_changes_nothing() {
        String id = create("Contended");
        assertEquals(200, server.put("/api/agents/" + id, pm, Blueprints.valid("first"), "If-Match", "\"1\"").status());

        HttpResult stale = server.put("/api/agents/" + id, pm, Blueprints.valid("second"), "If-Match", "\"1\"");

        assertEquals(412, stale.status());
        assertEquals("precondition_failed", stale.json().at("/error/code").asText());
        JsonNode current = server.get("/api/agents/" + id, pm).json();
        assertEquals("first", current.get("name").asText());
        assertEquals(2, current.get("version").asInt());
    }

    @Test
    void a_stale_version_in_the_body_is_refused_like_if_match() {
        String id = create("Body version");
        server.put("/api/agents/" + id, pm, Blueprints.valid("v2"));

        HttpResult stale = server.put("/api/agents/" + id, pm, Blueprints.with(Blueprints.valid("v3"), null, "version", 1));

        assertEquals(412, stale.status());
    }

    @Test
    void a_fetched_blueprint_can_be_sent_back_as_is() {
        String id = create("Echo");
        JsonNode fetched = server.get("/api/agents/" + id, pm).json();

        HttpResult updated = server.put("/api/agents/" + id, pm, fetched.toString());

        assertEquals(200, updated.status(), updated.body());
        assertEquals(2, updated.json().get("version").asInt());
    }

    @Test
    void every_version_is_kept_as_an_immutable_snapshot() {
        String id = create("History v1");
        server.put("/api/agents/" + id, pm, Blueprints.valid("History v2"));
        server.put("/api/agents/" + id, pm, Blueprints.valid("History v3"));

        HttpResult versions = server.get("/api/agents/" + id + "/versions", pm);

        assertEquals(200, versions.status());
        JsonNode items = versions.json().get("items");
        assertEquals(3, items.size());
        assertEquals(3, items.get(0).get("version").asInt());
        assertEquals("History v1", items.get(2).at("/blueprint/name").asText());
        assertEquals("History v2", server.get("/api/agents/" + id + "/versions/2", pm).json().at("/blueprint/name").asText());
        assertEquals(404, server.get("/api/agents/" + id + "/versions/9", pm).status());

        assertThrows(UnableToExecuteStatementException.class, () -> server.jdbi().useHandle(h ->
                h.execute("update blueprint_versions set snapshot = '{}' where blueprint_id = cast(? as uuid)", id)));
        assertEquals("History v1", server.get("/api/agents/" + id + "/versions/1", pm).json().at("/blueprint/name").asText());
    }

    @Test
    void deleting_deprecates_and_hides_the_blueprint_from_the_default_listing() {
        String id = create("Short-lived");

        HttpResult deleted = server.delete("/api/agents/" + id, pm);

        assertEquals(204, deleted.status());
        assertEquals("Deprecated", server.get("/api/agents/" + id, pm).json().get("status").asText());
        assertFalse(ids(server.get("/api/agents?limit=100", pm)).contains(id));
        assertTrue(ids(server.get("/api/agents?status=Deprecated&limit=100", pm)).contains(id));
        assertEquals(409, server.put("/api/agents/" + id, pm, Blueprints.valid("revive")).status());
        assertEquals(204, server.delete("/api/agents/" + id, pm).status());
    }

    @Test
    void listing_pages_and_filters() {
        String listOrg = server.organization("listing-org");
        String alice = server.token(listOrg, "alice", "PM");
        String bob = server.token(listOrg, "bob", "PM");
        for (int i = 0; i < 5; i++) {
            server.post("/api/agents", alice, Map.of("name", "alice-" + i));
        }
        for (int i = 0; i < 3; i++) {
            server.post("/api/agents", bob, Map.of("name", "bob-" + i, "industryProfile", "Mortgage"));
        }

        JsonNode page1 = server.get("/api/agents?limit=3&page=1", alice).json();
        JsonNode page3 = server.get("/api/agents?limit=3&page=3", alice).json();
        assertEquals(8, page1.get("total").asInt());
        assertEquals(3, page1.get("items").size());
        assertEquals(1, page1.get("page").asInt());
        assertEquals(3, page1.get("limit").asInt());
        assertEquals(2, page3.get("items").size());

        JsonNode byBob = server.get("/api/agents?createdBy=bob", alice).json();
        assertEquals(3, byBob.get("total").asInt());
        JsonNode mortgage = server.get("/api/agents?industryProfile=Mortgage", alice).json();
        assertEquals(3, mortgage.get("total").asInt());
        JsonNode drafts = server.get("/api/agents?status=Draft&createdBy=alice", alice).json();
        assertEquals(5, drafts.get("total").asInt());
        JsonNode none = server.get("/api/agents?status=Active", alice).json();
        assertEquals(0, none.get("total").asInt());
    }

    private String create(String name) {
        HttpResult created = server.post("/api/agents", pm, Blueprints.valid(name));
        assertEquals(201, created.status(), created.body());
        return created.json().get("id").asText();
    }

    private static List<String> ids(HttpResult list) {
        List<String> ids = new ArrayList<>();
        list.json().get("items").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
