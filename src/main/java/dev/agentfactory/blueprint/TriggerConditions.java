package dev.agentfactory.blueprint;

import dev.agentfactory.web.FieldProblem;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shape of {@code triggerConfig.triggerConditions}: each key names a field of an event's
 * data; its value is the expected value (equality), or an object with one operator:
 * <pre>{"leadScore": {">=": 70}, "channel": "sms", "tags": {"in": ["hot", "warm"]}, "email": {"exists": true}}</pre>
 * Each condition becomes a rule of the agent's own knowledge base, so their number and size are
 * capped: compiling stays a matter of milliseconds.
 */
public final class TriggerConditions {
    public static final Set<String> OPERATORS = Set.of("==", "!=", ">", ">=", "<", "<=", "in", "contains", "exists");
    static final int MAX_CONDITIONS = 50;
    static final int MAX_IN_VALUES = 50;
    static final int MAX_VALUE_LENGTH = 1_000;
    private static final Set<String> NUMERIC = Set.of(">", ">=", "<", "<=");

    private TriggerConditions() {
    }

    static void check(Map<String, Object> conditions, List<FieldProblem> problems) {
        if (conditions.size() > MAX_CONDITIONS) {
            problems.add(new FieldProblem("triggerConfig.triggerConditions",
                    "at most " + MAX_CONDITIONS + " conditions, not " + conditions.size()));
            return;
        }
        conditions.forEach((key, value) -> {
            String field = "triggerConfig.triggerConditions." + key;
            if (key.isBlank() || key.length() > 200) {
                problems.add(new FieldProblem(field, "the key must be 1-200 characters"));
            }
            if (!(value instanceof Map<?, ?> operation)) {
                if (value instanceof Collection<?>) {
                    problems.add(new FieldProblem(field, "a list needs an operator: {\"in\": [...]}"));
                } else {
                    scalar(field, value, problems);
                }
                return;
            }
            if (operation.size() != 1 || !OPERATORS.contains(String.valueOf(operation.keySet().iterator().next()))) {
                problems.add(new FieldProblem(field, "must be a value or an object with one operator of "
                        + OPERATORS.stream().sorted().toList()));
                return;
            }
            String operator = String.valueOf(operation.keySet().iterator().next());
            Object operand = operation.values().iterator().next();
            if (NUMERIC.contains(operator) && !(operand instanceof Number)) {
                problems.add(new FieldProblem(field, "operator " + operator + " needs a number"));
            } else if (operator.equals("in")) {
                in(field, operand, problems);
            } else if (operator.equals("exists") && !(operand instanceof Boolean)) {
                problems.add(new FieldProblem(field, "operator exists needs true or false"));
            } else {
                scalar(field, operand, problems);
            }
        });
    }

    private static void in(String field, Object operand, List<FieldProblem> problems) {
        if (!(operand instanceof Collection<?> values)) {
            problems.add(new FieldProblem(field, "operator in needs a list"));
        } else if (values.size() > MAX_IN_VALUES) {
            problems.add(new FieldProblem(field, "operator in takes at most " + MAX_IN_VALUES + " values, not "
                    + values.size()));
        } else {
            values.stream().map(TriggerConditions::scalarProblem).flatMap(Optional::stream).findFirst()
                    .ifPresent(problem -> problems.add(new FieldProblem(field, problem)));
        }
    }

    private static void scalar(String field, Object value, List<FieldProblem> problems) {
        scalarProblem(value).ifPresent(problem -> problems.add(new FieldProblem(field, problem)));
    }

    /** Expected values are strings, numbers, booleans or null: an object or list could never match. */
    private static Optional<String> scalarProblem(Object value) {
        if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
            return Optional.of("expected values are strings, numbers, true, false or null");
        }
        if (value instanceof String text && text.length() > MAX_VALUE_LENGTH) {
            return Optional.of("expected values are at most " + MAX_VALUE_LENGTH + " characters");
        }
        return Optional.empty();
    }
}
