package dev.agentfactory.rules.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.web.Json;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates one trigger condition on an event's data, for the generated condition rules. The
 * expected value arrives as JSON text (so generated rules only ever carry string literals).
 * Operators: {@code == != > >= < <= in contains exists}. Numbers compare as numbers whatever
 * their JSON type; a missing key fails every operator but {@code != } and {@code exists false}.
 */
public final class Conditions {
    private Conditions() {
    }

    public static boolean holds(Map<String, Object> data, String key, String operator, String expectedJson) {
        JsonNode expected = Json.read(expectedJson, JsonNode.class);
        boolean present = data.containsKey(key) && data.get(key) != null;
        Object actual = data.get(key);
        return switch (operator) {
            case "exists" -> present == expected.asBoolean(true);
            case "==" -> present && equal(actual, expected);
            case "!=" -> !present || !equal(actual, expected);
            case ">", ">=", "<", "<=" -> present && compare(actual, expected, operator);
            case "in" -> present && expected.isArray() && contains(expected, actual);
            case "contains" -> present && actualContains(actual, expected);
            default -> false;
        };
    }

    private static boolean equal(Object actual, JsonNode expected) {
        BigDecimal a = number(actual);
        if (a != null && expected.isNumber()) {
            return a.compareTo(expected.decimalValue()) == 0;
        }
        if (expected.isBoolean() && actual instanceof Boolean b) {
            return b == expected.asBoolean();
        }
        return expected.isTextual() && Objects.equals(String.valueOf(actual), expected.asText());
    }

    private static boolean compare(Object actual, JsonNode expected, String operator) {
        BigDecimal a = number(actual);
        if (a == null || !expected.isNumber()) {
            return false;
        }
        int c = a.compareTo(expected.decimalValue());
        return switch (operator) {
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            case "<" -> c < 0;
            default -> c <= 0;
        };
    }

    private static boolean contains(JsonNode array, Object actual) {
        for (JsonNode candidate : array) {
            if (equal(actual, candidate)) {
                return true;
            }
        }
        return false;
    }

    private static boolean actualContains(Object actual, JsonNode expected) {
        if (actual instanceof Collection<?> values) {
            return values.stream().anyMatch(v -> equal(v, expected));
        }
        return actual instanceof String text && expected.isTextual() && text.contains(expected.asText());
    }

    private static BigDecimal number(Object value) {
        if (value instanceof Number n) {
            try {
                return new BigDecimal(n.toString());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
