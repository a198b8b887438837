package dev.agentfactory.blueprint;

import dev.agentfactory.web.FieldProblem;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of {@code triggerConfig.triggerConditions}: each key names a field of an event's
 * data; its value is the expected value (equality), or an object with one operator:
 * <pre>{"leadScore": {">=": 70}, "channel": "sms", "tags": {"in": ["hot", "warm"]}, "email": {"exists": true}}</pre>
 */
public final class TriggerConditions {
    public static final Set<String> OPERATORS = Set.of("==", "!=", ">", ">=", "<", "<=", "in", "contains", "exists");
    private static final Set<String> NUMERIC = Set.of(">", ">=", "<", "<=");

    private TriggerConditions() {
    }

    static void check(Map<String, Object> conditions, List<FieldProblem> problems) {
        conditions.forEach((key, value) -> {
            String field = "triggerConfig.triggerConditions." + key;
            if (key.isBlank() || key.length() > 200) {
                problems.add(new FieldProblem(field, "the key must be 1-200 characters"));
            }
            if (!(value instanceof Map<?, ?> operation)) {
                if (value instanceof Collection<?>) {
                    problems.add(new FieldProblem(field, "a list needs an operator: {\"in\": [...]}"));
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
            } else if (operator.equals("in") && !(operand instanceof Collection<?>)) {
                problems.add(new FieldProblem(field, "operator in needs a list"));
            } else if (operator.equals("exists") && !(operand instanceof Boolean)) {
                problems.add(new FieldProblem(field, "operator exists needs true or false"));
            }
        });
    }
}
