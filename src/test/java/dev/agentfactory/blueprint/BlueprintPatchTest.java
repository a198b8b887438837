package dev.agentfactory.blueprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** PATCH /api/agents/{id} with JSON Merge Patch (RFC 7396), and 405 answers that say which methods a path takes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlueprintPatchTest {
    private static final Map<String, String> MERGE_PATCH = Map.of("Content-Type", "application/merge-patch+json");

    private TestServer server;
    private String pm;

    @BeforeAll
    void start() {
        server = TestServer.start("patch");
        pm = server.token(server.organization("patch-org"), "pat.pm", "PM");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void a_patch_changes_only_what_it_names_and_makes_a_new_version() {
        String id = create("Patched");

        HttpResult patched = patch(id, """
                {"goal": "Answer every lead within an hour", "actionConfig": {"riskThreshold": 0.4}}""", Map.of());

        assertEquals(200, patched.status(), patched.body());
        JsonNode body = patched.json();
        assertEquals("\"2\"", patched.header("ETag"));
        assertEquals(2, body.get("version").asInt());
        assertEquals("Answer every lead within an hour", body.get("goal").asText());
        assertEquals(0.4, body.at("/actionConfig/riskThreshold").asDouble());
        // Untouched members keep their values, inside the patched object too.
        assertEquals("Patched", body.get("name").asText());
        assertEquals("Follows up on new real-estate leads", body.get("description").asText());
        assertEquals(List.of("SendEmail", "GenerateRecommendation"), texts(body.at("/actionConfig/allowedActionTypes")));
        assertEquals("RiskBased", body.at("/actionConfig/overrideMode").asText());
        assertEquals(0.75, body.at("/validationConfig/minConfidenceThreshold").asDouble());
        assertEquals("lead-follow-up-v1", body.at("/promptConfig/promptTemplateId").asText());

        JsonNode versions = server.get("/api/agents/" + id + "/versions", pm).json().get("items");
        assertEquals(2, versions.size());
        assertEquals(body, server.get("/api/agents/" + id, pm).json());
    }

    @Test
    void null_resets_a_member_to_its_default_and_arrays_are_replaced_whole() {
        String id = create("Reset");

        JsonNode body = patch(id, """
                {"validationConfig": {"minConfidenceThreshold": null},
                 "actionConfig": {"allowedActionTypes": ["GenerateRecommendation"]}}""", Map.of()).json();

        assertEquals(0.7, body.at("/validationConfig/minConfidenceThreshold").asDouble());
        assertEquals(List.of("GenerateRecommendation"), texts(body.at("/actionConfig/allowedActionTypes")));
        assertEquals("Hybrid", body.at("/actionConfig/maxAllowedScope").asText());
    }

    @Test
    void if_match_is_honoured_and_a_stale_one_is_a_412_that_changes_nothing() {
        String id = create("Concurrent");

        HttpResult stale = patch(id, "{\"goal\": \"late edit\"}", Map.of("If-Match", "\"7\""));
        assertEquals(412, stale.status(), stale.body());
        assertEquals("precondition_failed", stale.json().at("/error/code").asText());
        JsonNode unchanged = server.get("/api/agents/" + id, pm).json();
        assertEquals(1, unchanged.get("version").asInt());
        assertEquals("Book a viewing with every qualified lead within a day", unchanged.get("goal").asText());

        HttpResult current = patch(id, "{\"goal\": \"on time\"}", Map.of("If-Match", "\"1\""));
        assertEquals(200, current.status(), current.body());
        assertEquals("\"2\"", current.header("ETag"));

        HttpResult bodyVersion = patch(id, "{\"goal\": \"again\", \"version\": 1}", Map.of());
        assertEquals(412, bodyVersion.status(), bodyVersion.body());
    }

    @Test
    void a_patch_that_makes_the_blueprint_invalid_is_a_400_naming_the_field() {
        String id = create("Invalid");

        HttpResult range = patch(id, "{\"actionConfig\": {\"riskThreshold\": 3}}", Map.of());
        assertEquals(400, range.status(), range.body());
        assertTrue(range.errorFields().contains("actionConfig.riskThreshold"), range.body());

        HttpResult unknown = patch(id, "{\"actionConfig\": {\"riskTreshold\": 0.5}}", Map.of());
        assertEquals(400, unknown.status(), unknown.body());
        assertTrue(unknown.errorFields().contains("actionConfig.riskTreshold"), unknown.body());

        HttpResult required = patch(id, "{\"name\": null}", Map.of());
        assertEquals(400, required.status(), required.body());
        assertTrue(required.errorFields().contains("name"), required.body());

        assertEquals(1, server.get("/api/agents/" + id, pm).json().get("version").asInt());
    }

    @Test
    void a_405_carries_allow_naming_the_methods_of_the_path() {
        HttpResult collection = server.send("PATCH", "/api/agents", pm, "{}", Map.of());
        assertEquals(405, collection.status(), collection.body());
        assertEquals(List.of("GET", "POST"), methods(collection.header("Allow")));
        assertTrue(collection.json().at("/error/message").asText().contains("allowed: "), collection.body());

        HttpResult item = server.send("POST", "/api/agents/" + create("Allow"), pm, "{}", Map.of());
        assertEquals(405, item.status(), item.body());
        assertEquals(List.of("DELETE", "GET", "PATCH", "PUT"), methods(item.header("Allow")));
    }

    private String create(String name) {
        HttpResult created = server.post("/api/agents", pm, Blueprints.valid(name));
        assertEquals(201, created.status(), created.body());
        return created.json().get("id").asText();
    }

    private HttpResult patch(String id, String body, Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(MERGE_PATCH);
        all.putAll(headers);
        return server.send("PATCH", "/api/agents/" + id, pm, body, all);
    }

    private static List<String> methods(String allow) {
        assertTrue(allow != null && !allow.isBlank(), "no Allow header");
        return Arrays.stream(allow.split(",")).map(String::trim).sorted().toList();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
