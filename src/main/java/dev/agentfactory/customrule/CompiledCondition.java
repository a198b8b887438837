package dev.agentfactory.customrule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.web.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One leaf condition, ready to evaluate: its value parsed and its pattern compiled once, when the
 * organization's rules are compiled, never on the decision path.
 *
 * <p>Semantics, for every field: an absent value (or an empty list) meets only {@code !=}. A list
 * meets a condition when one of its elements does ({@code !=}: when none is equal), except
 * {@code contains}, which asks whether the list has the value as an element (of a text: as a
 * substring; of an object: in its JSON text). Numbers and numeric strings compare as numbers.
 * Where a value cannot be judged, the condition counts as met and a note says so, because a
 * custom rule only ever adds a restriction: a value that is present but not a number under
 * {@code < <= > >=}, and a pattern or substring search that ran out of steps (the evaluation's budget).
 */
final class CompiledCondition {
    private static final int MAX_NUMBER_TEXT = 100;

    private final String field;
    private final Operator operator;
    private final Object expected;

    private CompiledCondition(String field, Operator operator, Object expected) {
        this.field = field;
        this.operator = operator;
        this.expected = expected;
    }

    static CompiledCondition of(Condition.Leaf leaf) {
        JsonNode value = leaf.value();
        Object expected = switch (leaf.operator()) {
            case IN -> {
                List<Object> values = new ArrayList<>();
                value.forEach(v -> values.add(scalar(v)));
                yield List.copyOf(values);
            }
            case MATCHES -> BoundedPattern.compile(value.asText());
            default -> scalar(value);
        };
        return new CompiledCondition(leaf.field(), leaf.operator(), expected);
    }

    boolean test(Subject subject, Trace trace, int rule) {
        Object actual = subject.value(field);
        if (actual == null || (actual instanceof Collection<?> c && c.isEmpty())) {
            return operator == Operator.NE;
        }
        // A list of 200,000 elements against 50 values is ten million comparisons per condition: they
        // spend the evaluation's step budget, and a condition that cannot be judged counts as met.
        long elements = actual instanceof Collection<?> values ? values.size() : 1;
        if (!trace.budget().spend(elements * (operator == Operator.IN ? ((List<?>) expected).size() : 1))) {
            trace.note(rule, "judging " + field + " ran out of steps, so it counts as met");
            return true;
        }
        return switch (operator) {
            case EQ -> any(actual, v -> equal(v, expected));
            case NE -> !any(actual, v -> equal(v, expected));
            case IN -> any(actual, v -> ((List<?>) expected).stream().anyMatch(e -> equal(v, e)));
            case CONTAINS -> contains(actual, trace, rule);
            case LT, LE, GT, GE -> any(actual, v -> ordered(v, trace, rule));
            case MATCHES -> any(actual, v -> matches(v, trace, rule));
        };
    }

    private static boolean any(Object actual, Predicate<Object> test) {
        if (actual instanceof Collection<?> values) {
            for (Object value : values) {
                if (value != null && test.test(value)) {
                    return true;
                }
            }
            return false;
        }
        return test.test(actual);
    }

    /**
     * {@link String#contains} can take text times needle length ({@code "aaa…"} searched for
     * {@code "aa…ab"}: 0.2 s for 900,000 characters), so the search is Knuth-Morris-Pratt, linear,
     * and spends its length from the evaluation's step budget; once the budget is gone the condition
     * counts as met, like a pattern search that ran out of steps.
     */
    private boolean contains(Object actual, Trace trace, int rule) {
        if (actual instanceof Collection<?> values) {
            return values.stream().anyMatch(v -> v != null && equal(v, expected));
        }
        if (!trace.budget().spent()) {
            String text = text(actual);
            String needle = text(expected);
            if (trace.budget().spend((long) text.length() + needle.length())) {
                return indexOf(text, needle) >= 0;
            }
        }
        trace.note(rule, "the search in " + field + " ran out of steps, so it counts as met");
        return true;
    }

    /** Where {@code needle} first occurs in {@code text}, or -1, in time linear in both. */
    static int indexOf(String text, String needle) {
        if (needle.isEmpty()) {
            return 0;
        }
        int[] fallback = new int[needle.length()];
        for (int i = 1, k = 0; i < needle.length(); i++) {
            while (k > 0 && needle.charAt(i) != needle.charAt(k)) {
                k = fallback[k - 1];
            }
            if (needle.charAt(i) == needle.charAt(k)) {
                k++;
            }
            fallback[i] = k;
        }
        for (int i = 0, k = 0; i < text.length(); i++) {
            while (k > 0 && text.charAt(i) != needle.charAt(k)) {
                k = fallback[k - 1];
            }
            if (text.charAt(i) == needle.charAt(k)) {
                k++;
            }
            if (k == needle.length()) {
                return i - k + 1;
            }
        }
        return -1;
    }

    private boolean ordered(Object actual, Trace trace, int rule) {
        BigDecimal number = number(actual);
        if (number == null) {
            trace.note(rule, field + " is not a number, so " + field + " " + operator.symbol() + " "
                    + text(expected) + " counts as met");
            return true;
        }
        int c = number.compareTo((BigDecimal) expected);
        return switch (operator) {
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            default -> c >= 0;
        };
    }

    private boolean matches(Object actual, Trace trace, int rule) {
        // a spent budget is known before the value is turned into text (a large object is costly to write)
        Optional<Boolean> found = trace.budget().spent() ? Optional.empty()
                : ((BoundedPattern) expected).find(text(actual), trace.budget());
        if (found.isEmpty()) {
            trace.note(rule, "the pattern search on " + field + " ran out of steps, so it counts as a match");
            return true;
        }
        return found.get();
    }

    private static boolean equal(Object actual, Object expected) {
        if (expected instanceof BigDecimal number) {
            BigDecimal value = number(actual);
            return value != null && value.compareTo(number) == 0;
        }
        if (expected instanceof Boolean flag) {
            return flag.equals(actual);
        }
        return !(actual instanceof Map<?, ?> || actual instanceof Collection<?>) && text(actual).equals(expected);
    }

    private static Object scalar(JsonNode value) {
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        return value.asText();
    }

    /** Numbers, and strings that read as one ({@code "6000"}, {@code " 1e3 "}); anything else is null. */
    static BigDecimal number(Object value) {
        try {
            if (value instanceof BigDecimal number) {
                return number;
            }
            if (value instanceof Number number) {
                return new BigDecimal(number.toString());
            }
            if (value instanceof String text && text.length() <= MAX_NUMBER_TEXT) {
                return new BigDecimal(text.trim());
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    static String text(Object value) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        if (value instanceof BigDecimal number) {
            return number.toPlainString();
        }
        if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
            return Json.write(value);
        }
        return String.valueOf(value);
    }
}
