package dev.agentfactory.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.blueprint.Durations;
import dev.agentfactory.blueprint.TriggerConditions;
import dev.agentfactory.web.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The data each agent template is filled with, for one blueprint version. Every value is a
 * literal built here: escaped strings, numbers, booleans or enum names, never raw blueprint text.
 */
final class TemplateRows {
    private TemplateRows() {
    }

    static Map<String, List<Map<String, Object>>> of(UUID agentId, int version, BlueprintSpec spec) {
        Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
        rows.put("agent-policy.drt", List.of(policy(agentId, version, spec)));
        rows.put("agent-actions.drt", actions(spec));
        rows.put("agent-context.drt", contexts(spec));
        rows.put("agent-triggers.drt", triggers(spec));
        rows.put("agent-conditions.drt", conditions(spec.triggerConfig().triggerConditions()));
        return rows;
    }

    private static Map<String, Object> policy(UUID agentId, int version, BlueprintSpec spec) {
        var action = spec.actionConfig();
        var constraints = action.actionConstraints();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("agentId", DrlLiterals.string(agentId.toString()));
        row.put("blueprintVersion", version);
        row.put("maxAllowedScope", action.maxAllowedScope().name());
        row.put("overrideMode", action.overrideMode().name());
        row.put("riskThreshold", DrlLiterals.number(action.riskThreshold()));
        row.put("minConfidenceThreshold", DrlLiterals.number(spec.validationConfig().minConfidenceThreshold()));
        row.put("requireApprovalForAllActions", spec.validationConfig().requireApprovalForAllActions());
        row.put("maxDailyActions", constraints.maxDailyActions() == null ? 0 : constraints.maxDailyActions());
        row.put("cooldownSeconds", Durations.parse(constraints.cooldownPeriod()).map(Duration::toSeconds).orElse(0L));
        row.put("requiredApprovals", action.requiredApprovals());
        row.put("approvalTimeoutSeconds", Durations.parse(action.approvalTimeout()).map(Duration::toSeconds).orElse(0L));
        row.put("accessLevel", spec.contextConfig().accessLevel().name());
        return row;
    }

    private static List<Map<String, Object>> actions(BlueprintSpec spec) {
        Set<String> highRisk = Set.copyOf(spec.validationConfig().highRiskActionTypes());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String type : new LinkedHashSet<>(spec.actionConfig().allowedActionTypes())) {
            rows.add(Map.of("actionType", DrlLiterals.string(type), "highRisk", highRisk.contains(type)));
        }
        return rows;
    }

    private static List<Map<String, Object>> contexts(BlueprintSpec spec) {
        Map<String, Boolean> types = new LinkedHashMap<>();
        spec.contextConfig().optionalContextTypes().forEach(t -> types.put(t, false));
        spec.contextConfig().requiredContextTypes().forEach(t -> types.put(t, true));
        List<Map<String, Object>> rows = new ArrayList<>();
        types.forEach((type, required) -> rows.add(Map.of("contextType", DrlLiterals.string(type), "required", required)));
        return rows;
    }

    private static List<Map<String, Object>> triggers(BlueprintSpec spec) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String event : new LinkedHashSet<>(spec.triggerConfig().eventTriggers())) {
            rows.add(Map.of("field", "type", "value", DrlLiterals.string(event)));
        }
        for (String intent : new LinkedHashSet<>(spec.triggerConfig().supportedIntents())) {
            rows.add(Map.of("field", "intent", "value", DrlLiterals.string(intent)));
        }
        return rows;
    }

    /**
     * {@code {"leadScore": {">=": 70}, "channel": "sms"}}: a plain value means equality, an object
     * with one operator key means that operator.
     */
    static List<Map<String, Object>> conditions(Map<String, Object> conditions) {
        List<Map<String, Object>> rows = new ArrayList<>();
        conditions.forEach((key, value) -> {
            JsonNode node = Json.tree(value);
            String operator = "==";
            JsonNode expected = node;
            if (node.isObject() && node.size() == 1 && TriggerConditions.OPERATORS.contains(node.fieldNames().next())) {
                operator = node.fieldNames().next();
                expected = node.get(operator);
            }
            rows.add(Map.of("key", DrlLiterals.string(key), "operator", DrlLiterals.string(operator),
                    "expected", DrlLiterals.string(expected.toString())));
        });
        return rows;
    }
}
