package dev.agentfactory.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Which agents an event reaches: triggers, intents, and conditions evaluated by the compiled agent. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventMatchingTest {
    private TestServer server;
    private String pm;
    private String plain;
    private String conditional;
    private String intentOnly;

    @BeforeAll
    void start() {
        server = TestServer.start("events");
        pm = server.token(server.organization("eventful"), "pam", "PM");
        Map<String, Object> noIntents = Blueprints.with(Blueprints.valid("Plain"), "triggerConfig", "supportedIntents",
                List.of());
        plain = Agents.createAndDeploy(server, pm, Blueprints.with(noIntents, "triggerConfig",
                "eventTriggers", List.of("interaction.completed")));
        Map<String, Object> conditions = Map.of(
                "leadScore", Map.of(">=", 70),
                "channel", "sms",
                "tags", Map.of("contains", "hot"),
                "region", Map.of("in", List.of("north", "east")),
                "optOut", Map.of("exists", false));
        Map<String, Object> conditionalBlueprint = Blueprints.with(Blueprints.with(Blueprints.valid("Conditional"),
                "triggerConfig", "eventTriggers", List.of("interaction.completed")), "triggerConfig", "triggerConditions",
                conditions);
        conditional = Agents.createAndDeploy(server, pm, Blueprints.with(conditionalBlueprint, "triggerConfig",
                "supportedIntents", List.of()));
        Map<String, Object> byIntent = Blueprints.with(Blueprints.valid("Intent only"), "triggerConfig",
                "eventTriggers", List.of());
        intentOnly = Agents.createAndDeploy(server, pm, Blueprints.with(byIntent, "triggerConfig", "supportedIntents",
                List.of("schedule_viewing")));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private Map<String, Object> event(String type, String intent, Map<String, Object> data) {
        Map<String, Object> event = new HashMap<>();
        event.put("type", type);
        event.put("contactId", "c-42");
        if (intent != null) {
            event.put("intent", intent);
        }
        event.put("data", data);
        return event;
    }

    private Map<String, Object> hotLead() {
        return new HashMap<>(Map.of("leadScore", 82, "channel", "sms", "tags", List.of("hot", "new"), "region", "north"));
    }

    @Test
    void an_event_without_conditions_reaches_agents_with_a_matching_trigger() {
        var activated = Agents.activations(server, pm, event("interaction.completed", null, Map.of()));
        assertTrue(activated.containsKey(plain));
        assertFalse(activated.containsKey(conditional), "its conditions do not hold on empty data");
        assertFalse(activated.containsKey(intentOnly));
    }

    @Test
    void an_event_whose_data_meets_every_condition_reaches_the_conditional_agent() {
        var activated = Agents.activations(server, pm, event("interaction.completed", null, hotLead()));
        assertTrue(activated.containsKey(conditional));
        assertTrue(activated.containsKey(plain));
    }

    @Test
    void each_broken_condition_keeps_the_conditional_agent_out() {
        Map<String, Map<String, Object>> variants = new HashMap<>();
        variants.put("score too low", with(hotLead(), "leadScore", 69.5));
        variants.put("wrong channel", with(hotLead(), "channel", "email"));
        variants.put("no hot tag", with(hotLead(), "tags", List.of("cold")));
        variants.put("other region", with(hotLead(), "region", "south"));
        variants.put("opted out", with(hotLead(), "optOut", true));
        variants.put("score as text", with(hotLead(), "leadScore", "82"));
        variants.forEach((name, data) -> assertFalse(Agents.activations(server, pm,
                event("interaction.completed", null, data)).containsKey(conditional), name));
        assertTrue(Agents.activations(server, pm, event("interaction.completed", null, with(hotLead(), "leadScore", 70)))
                .containsKey(conditional), "70 meets >= 70");
    }

    @Test
    void an_intent_reaches_agents_that_support_it_whatever_the_event_type() {
        var activated = Agents.activations(server, pm, event("chat.message", "schedule_viewing", Map.of()));
        assertTrue(activated.containsKey(intentOnly));
        assertEquals("supported intent schedule_viewing", activated.get(intentOnly).get("reason").asText());
        assertFalse(activated.containsKey(plain));
    }

    @Test
    void bad_conditions_are_refused_when_the_blueprint_is_stored() {
        var bad = Blueprints.with(Blueprints.valid("Bad conditions"), "triggerConfig", "triggerConditions",
                Map.of("leadScore", Map.of(">=", "high")));
        var result = server.post("/api/agents", pm, bad);
        assertEquals(400, result.status(), result.body());
        assertEquals("triggerConfig.triggerConditions.leadScore", result.json().at("/error/details/0/field").asText());
        var unknownOperator = Blueprints.with(Blueprints.valid("Bad op"), "triggerConfig", "triggerConditions",
                Map.of("x", Map.of("like", "a%")));
        assertEquals(400, server.post("/api/agents", pm, unknownOperator).status());
    }

    private static Map<String, Object> with(Map<String, Object> data, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(data);
        copy.put(key, value);
        return copy;
    }
}
