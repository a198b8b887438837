package dev.agentfactory.rules.model;

import java.util.Map;

/**
 * Reads the metadata every rule carries: an id as the first word of its name, {@code @tier},
 * {@code @severity}, {@code @description} and optionally {@code @category} (default: the last
 * part of the rule's package, e.g. {@code security} for {@code package blueprint.security}).
 */
public final class RuleMetadata {
    /** Drools maps {@code @description} onto kie-api's own Description annotation. */
    private static final String DESCRIPTION_ANNOTATION = "org.kie.api.definition.type.Description";

    private RuleMetadata() {
    }

    public static String id(String ruleName) {
        int space = ruleName.indexOf(' ');
        return space < 0 ? ruleName : ruleName.substring(0, space);
    }

    public static int tier(Map<String, Object> meta) {
        Object tier = meta.get("tier");
        if (tier instanceof Number number) {
            return number.intValue();
        }
        try {
            return tier == null ? 0 : Integer.parseInt(unquote(tier.toString()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static Severity severity(Map<String, Object> meta) {
        Object severity = meta.get("severity");
        try {
            return severity == null ? Severity.INFO : Severity.valueOf(unquote(severity.toString()));
        } catch (IllegalArgumentException e) {
            return Severity.INFO;
        }
    }

    public static String description(Map<String, Object> meta) {
        Object description = meta.getOrDefault("description", meta.get(DESCRIPTION_ANNOTATION));
        return description == null ? null : unquote(description.toString());
    }

    public static String category(String packageName, Map<String, Object> meta) {
        Object category = meta.get("category");
        if (category != null) {
            return unquote(category.toString());
        }
        int dot = packageName.lastIndexOf('.');
        return dot < 0 ? packageName : packageName.substring(dot + 1);
    }

    /** The metadata problems that make a rule unacceptable, or an empty string. */
    public static String problems(String ruleName, Map<String, Object> meta) {
        StringBuilder problems = new StringBuilder();
        if (!id(ruleName).matches("[A-Z][A-Z0-9]*(-[A-Z0-9]+)+")) {
            problems.append("its name must start with an id such as BP-SEC-002; ");
        }
        if (!meta.containsKey("tier")) {
            problems.append("@tier is missing; ");
        }
        Object severity = meta.get("severity");
        if (severity == null) {
            problems.append("@severity is missing; ");
        } else if (!unquote(severity.toString()).matches("ERROR|WARNING|INFO")) {
            problems.append("@severity must be ERROR, WARNING or INFO; ");
        }
        if (description(meta) == null || description(meta).isBlank()) {
            problems.append("@description is missing; ");
        }
        return problems.isEmpty() ? "" : problems.substring(0, problems.length() - 2);
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
