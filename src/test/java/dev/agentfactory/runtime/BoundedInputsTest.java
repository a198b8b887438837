package dev.agentfactory.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Inputs that would make a request expensive are refused when the blueprint is stored, with a 400
 * naming the field; a what-if on the biggest blueprint allowed reuses its compiled agent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BoundedInputsTest {
    private TestServer server;
    private String pm;

    @BeforeAll
    void start() {
        server = TestServer.start("bounded");
        pm = server.token(server.defaultOrganizationId(), "bo", "PM");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static Map<String, Object> conditions(int count) {
        Map<String, Object> conditions = new LinkedHashMap<>();
        IntStream.range(0, count).forEach(i -> conditions.put("field" + i, Map.of(">=", i)));
        return conditions;
    }

    private HttpResult store(Map<String, Object> blueprint) {
        return server.post("/api/agents", pm, blueprint);
    }

    private static void assertRefused(HttpResult result, String field, String problem) {
        assertEquals(400, result.status(), result.body());
        assertEquals("bad_request", result.json().at("/error/code").asText(), result.body());
        assertTrue(result.errorFields().contains(field), result.body());
        assertTrue(result.json().at("/error/details").toString().contains(problem), result.body());
    }

    @Test
    void more_than_50_trigger_conditions_are_refused() {
        assertRefused(store(Blueprints.with(Blueprints.valid("51"), "triggerConfig", "triggerConditions",
                conditions(51))), "triggerConfig.triggerConditions", "at most 50 conditions");
        long started = System.nanoTime();
        assertRefused(store(Blueprints.with(Blueprints.valid("10k"), "triggerConfig", "triggerConditions",
                conditions(10_000))), "triggerConfig.triggerConditions", "not 10000");
        assertTrue((System.nanoTime() - started) / 1_000_000 < 5_000, "refused without compiling anything");
    }

    @Test
    void an_in_list_of_more_than_50_values_is_refused() {
        List<String> regions = IntStream.range(0, 51).mapToObj(i -> "region-" + i).toList();
        assertRefused(store(Blueprints.with(Blueprints.valid("in 51"), "triggerConfig", "triggerConditions",
                Map.of("region", Map.of("in", regions)))), "triggerConfig.triggerConditions.region", "at most 50 values");
        assertRefused(store(Blueprints.with(Blueprints.valid("in nested"), "triggerConfig", "triggerConditions",
                Map.of("region", Map.of("in", List.of("north", Map.of("deep", 1)))))),
                "triggerConfig.triggerConditions.region", "strings, numbers, true, false or null");
        assertEquals(201, store(Blueprints.with(Blueprints.valid("in 50"), "triggerConfig", "triggerConditions",
                Map.of("region", Map.of("in", regions.subList(0, 50))))).status());
    }

    @Test
    void free_form_objects_are_capped_in_size_and_depth() {
        Map<String, Object> filters = new LinkedHashMap<>();
        IntStream.range(0, 51).forEach(i -> filters.put("f" + i, i));
        assertRefused(store(Blueprints.with(Blueprints.valid("filters"), "contextConfig", "contextFilters", filters)),
                "contextConfig.contextFilters", "at most 50 entries");
        Object deep = "bottom";
        for (int i = 0; i < 6; i++) {
            deep = Map.of("level", deep);
        }
        assertRefused(store(Blueprints.with(Blueprints.valid("deep"), null, "industrySpecificConfig", deep)),
                "industrySpecificConfig", "at most 5 levels");
        assertRefused(store(Blueprints.with(Blueprints.valid("long"), "promptConfig", "promptVariables",
                Map.of("tone", "t".repeat(10_001)))), "promptConfig.promptVariables.tone", "at most 10000 characters");
        assertRefused(store(Blueprints.with(Blueprints.valid("prompt"), "promptConfig", "customSystemPrompt",
                "s".repeat(10_001))), "promptConfig.customSystemPrompt", "at most 10000 characters");
    }

    @Test
    void a_what_if_on_a_50_condition_agent_reuses_its_compiled_form() {
        Map<String, Object> blueprint = Blueprints.with(Blueprints.valid("Fifty conditions"), "triggerConfig",
                "triggerConditions", conditions(50));
        String id = Agents.create(server, pm, blueprint);
        Map<String, Object> whatIf = Map.of("agentId", id,
                "action", Map.of("actionType", "GenerateRecommendation", "confidence", 0.9));

        long started = System.nanoTime();
        JsonNode first = server.post("/api/validation/action", pm, whatIf).json();
        JsonNode second = server.post("/api/validation/action", pm, whatIf).json();
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals("EXECUTE", first.get("decision").asText(), first.toString());
        assertEquals(false, first.get("live").asBoolean());
        assertEquals(first.get("compiledAt").asText(), second.get("compiledAt").asText(),
                "the second what-if used the agent compiled for the first");
        assertTrue(millis < 10_000, "two what-ifs took " + millis + " ms");

        HttpResult edited = server.put("/api/agents/" + id, pm, Blueprints.with(blueprint, null, "description", "v2"));
        assertEquals(200, edited.status(), edited.body());
        JsonNode third = server.post("/api/validation/action", pm, whatIf).json();
        assertEquals(2, third.get("agentVersion").asInt(), third.toString());
        assertNotEquals(first.get("compiledAt").asText(), third.get("compiledAt").asText(),
                "a new version is compiled afresh");
    }
}
