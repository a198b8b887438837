package dev.agentfactory.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Blueprint bodies for tests: a complete, valid one to start from and tweak. */
public final class Blueprints {
    private Blueprints() {
    }

    public static Map<String, Object> valid(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("description", "Follows up on new real-estate leads");
        body.put("goal", "Book a viewing with every qualified lead within a day");
        body.put("triggerConfig", new LinkedHashMap<>(Map.of(
                "supportedIntents", List.of("schedule_viewing"),
                "eventTriggers", List.of("interaction.completed"),
                "mode", "Reactive")));
        body.put("contextConfig", new LinkedHashMap<>(Map.of(
                "requiredContextTypes", List.of("ContactProfile"),
                "accessLevel", "ContactOnly")));
        body.put("actionConfig", new LinkedHashMap<>(Map.of(
                "allowedActionTypes", List.of("SendEmail", "GenerateRecommendation"),
                "maxAllowedScope", "Hybrid",
                "overrideMode", "RiskBased")));
        body.put("validationConfig", new LinkedHashMap<>(Map.of("minConfidenceThreshold", 0.75)));
        body.put("promptConfig", new LinkedHashMap<>(Map.of("promptTemplateId", "lead-follow-up-v1")));
        return body;
    }

    /** A copy of {@code body} with {@code section.field} set to {@code value} (or top-level when section is null). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> with(Map<String, Object> body, String section, String field, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        if (section == null) {
            copy.put(field, value);
        } else {
            Map<String, Object> inner = new LinkedHashMap<>((Map<String, Object>) copy.getOrDefault(section, Map.of()));
            inner.put(field, value);
            copy.put(section, inner);
        }
        return copy;
    }
}
