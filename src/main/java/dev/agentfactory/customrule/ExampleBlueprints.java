package dev.agentfactory.customrule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.web.Json;

/**
 * The blueprint an example runs with unless it says otherwise: a plain, valid agent that may
 * propose the example's action (so tier 1 lets it through). An example's own {@code blueprint}
 * is laid over it, objects field by field.
 */
final class ExampleBlueprints {
    private ExampleBlueprints() {
    }

    static ObjectNode base(ProposedAction action) {
        ObjectNode blueprint = Json.MAPPER.createObjectNode()
                .put("name", "custom rule example")
                .put("description", "the agent a custom rule example runs with")
                .put("goal", "show what the custom rule does");
        blueprint.putObject("promptConfig").put("promptTemplateId", "custom-rule-example");
        ObjectNode actions = blueprint.putObject("actionConfig");
        ObjectNode context = blueprint.putObject("contextConfig");
        if (action == null) {
            actions.putArray("allowedActionTypes").add("GenerateRecommendation");
        } else {
            actions.putArray("allowedActionTypes").add(action.actionType());
            action.contextTypes().forEach(context.putArray("optionalContextTypes")::add);
            if (action.accessLevel() != null) {
                context.put("accessLevel", action.accessLevel().name());
            }
        }
        return blueprint;
    }

    /** {@code override} laid over {@code base}: objects merge field by field, anything else replaces. */
    static JsonNode merge(JsonNode base, JsonNode override) {
        if (override == null) {
            return base;
        }
        if (base == null || !base.isObject() || !override.isObject()) {
            return override;
        }
        ObjectNode merged = base.deepCopy();
        override.fields().forEachRemaining(field ->
                merged.set(field.getKey(), merge(merged.get(field.getKey()), field.getValue())));
        return merged;
    }
}
