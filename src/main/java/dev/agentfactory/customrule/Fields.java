package dev.agentfactory.customrule;

import dev.agentfactory.blueprint.AccessLevel;
import dev.agentfactory.blueprint.ActionScope;
import dev.agentfactory.blueprint.IndustryProfile;
import dev.agentfactory.blueprint.OverrideMode;
import dev.agentfactory.blueprint.TriggerMode;
import dev.agentfactory.blueprint.ValidationIntensity;
import dev.agentfactory.rules.model.CustomTarget;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fixed allow-list of fields a custom rule may test, per target. Fields ending in a dot take
 * any key after it ({@code payload.amount}): the value under that top-level key.
 */
final class Fields {
    static final int MAX_KEY = 100;

    /** A field's kind and, for enumerations, the allowed values. */
    record Type(FieldKind kind, List<String> values) {
        Type {
            values = List.copyOf(values);
        }
    }

    private static final Map<String, Type> ACTION = new LinkedHashMap<>();
    private static final Map<String, Type> BLUEPRINT = new LinkedHashMap<>();

    static {
        ACTION.put("actionType", text());
        ACTION.put("scope", enumeration(ActionScope.class));
        ACTION.put("confidence", number());
        ACTION.put("riskScore", number());
        ACTION.put("contactId", text());
        ACTION.put("contextTypes", list());
        ACTION.put("accessLevel", enumeration(AccessLevel.class));
        ACTION.put("industryProfile", enumeration(IndustryProfile.class));
        ACTION.put("overrideMode", enumeration(OverrideMode.class));
        ACTION.put("agentId", text());
        ACTION.put("payload.", any());
        ACTION.put("userOverrides.", any());

        BLUEPRINT.put("name", text());
        BLUEPRINT.put("description", text());
        BLUEPRINT.put("goal", text());
        BLUEPRINT.put("mode", enumeration(TriggerMode.class));
        BLUEPRINT.put("supportedIntents", list());
        BLUEPRINT.put("eventTriggers", list());
        BLUEPRINT.put("requiredContextTypes", list());
        BLUEPRINT.put("optionalContextTypes", list());
        BLUEPRINT.put("accessLevel", enumeration(AccessLevel.class));
        BLUEPRINT.put("allowedActionTypes", list());
        BLUEPRINT.put("maxAllowedScope", enumeration(ActionScope.class));
        BLUEPRINT.put("overrideMode", enumeration(OverrideMode.class));
        BLUEPRINT.put("riskThreshold", number());
        BLUEPRINT.put("requiredApprovals", number());
        BLUEPRINT.put("approvalTimeoutMinutes", number());
        BLUEPRINT.put("maxDailyActions", number());
        BLUEPRINT.put("cooldownMinutes", number());
        BLUEPRINT.put("minConfidenceThreshold", number());
        BLUEPRINT.put("requireApprovalForAllActions", new Type(FieldKind.BOOLEAN, List.of()));
        BLUEPRINT.put("highRiskActionTypes", list());
        BLUEPRINT.put("intensity", enumeration(ValidationIntensity.class));
        BLUEPRINT.put("promptTemplateId", text());
        BLUEPRINT.put("customSystemPrompt", text());
        BLUEPRINT.put("customUserPromptTemplate", text());
        BLUEPRINT.put("promptText", text());
        BLUEPRINT.put("industryProfile", enumeration(IndustryProfile.class));
        BLUEPRINT.put("industrySpecificConfig.", any());
    }

    private Fields() {
    }

    static Optional<Type> lookup(CustomTarget target, String field) {
        Map<String, Type> fields = of(target);
        Type exact = fields.get(field);
        if (exact != null && !field.endsWith(".")) {
            return Optional.of(exact);
        }
        int dot = field.indexOf('.');
        if (dot > 0 && dot < field.length() - 1 && field.length() - dot - 1 <= MAX_KEY) {
            return Optional.ofNullable(fields.get(field.substring(0, dot + 1)));
        }
        return Optional.empty();
    }

    /** The allowed names, as an error message lists them ({@code payload.<key>} for the prefixes). */
    static String allowed(CustomTarget target) {
        return String.join(", ", of(target).keySet().stream()
                .map(name -> name.endsWith(".") ? name + "<key>" : name).toList());
    }

    static List<String> names(CustomTarget target) {
        return List.copyOf(of(target).keySet());
    }

    private static Map<String, Type> of(CustomTarget target) {
        return target == CustomTarget.ACTION ? ACTION : BLUEPRINT;
    }

    private static Type text() {
        return new Type(FieldKind.TEXT, List.of());
    }

    private static Type number() {
        return new Type(FieldKind.NUMBER, List.of());
    }

    private static Type list() {
        return new Type(FieldKind.TEXT_LIST, List.of());
    }

    private static Type any() {
        return new Type(FieldKind.ANY, List.of());
    }

    private static Type enumeration(Class<? extends Enum<?>> type) {
        return new Type(FieldKind.ENUM, Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
    }
}
