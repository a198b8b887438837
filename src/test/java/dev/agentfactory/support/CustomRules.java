package dev.agentfactory.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Custom rule bodies for tests: small factories for conditions, outcomes and examples. */
public final class CustomRules {
    private CustomRules() {
    }

    public static Map<String, Object> rule(String name, String appliesTo, Object when, Object then,
                                           List<Map<String, Object>> examples) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("description", "a rule the tests use");
        body.put("appliesTo", appliesTo);
        body.put("when", when);
        body.put("then", then);
        body.put("examples", examples);
        return body;
    }

    public static Map<String, Object> actionRule(String name, Object when, Object then,
                                                 List<Map<String, Object>> examples) {
        return rule(name, "action", when, then, examples);
    }

    public static Map<String, Object> blueprintRule(String name, Object when, Object then,
                                                    List<Map<String, Object>> examples) {
        return rule(name, "blueprint", when, then, examples);
    }

    public static Map<String, Object> leaf(String field, String op, Object value) {
        Map<String, Object> leaf = new LinkedHashMap<>();
        leaf.put("field", field);
        leaf.put("op", op);
        leaf.put("value", value);
        return leaf;
    }

    public static Map<String, Object> all(Object... members) {
        return Map.of("all", List.of(members));
    }

    public static Map<String, Object> any(Object... members) {
        return Map.of("any", List.of(members));
    }

    public static Map<String, Object> requireApproval(String reason) {
        return Map.of("requireApproval", reason);
    }

    public static Map<String, Object> risk(double points, String reason) {
        return Map.of("risk", points, "reason", reason);
    }

    public static Map<String, Object> finding(String severity, String field, String message) {
        return Map.of("finding", Map.of("severity", severity, "field", field, "message", message));
    }

    /** An action example: {@code action} is actionType, confidence, then more key/value pairs. */
    public static Map<String, Object> actionExample(String expect, String actionType, double confidence,
                                                    Object... more) {
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("actionType", actionType);
        action.put("confidence", confidence);
        for (int i = 0; i + 1 < more.length; i += 2) {
            action.put((String) more[i], more[i + 1]);
        }
        return Map.of("action", action, "expect", expect);
    }

    /** A blueprint example: the parts of the blueprint that differ from the default one. */
    public static Map<String, Object> blueprintExample(String expect, Map<String, Object> blueprint) {
        return Map.of("blueprint", blueprint, "expect", expect);
    }

    /** The example rule of the README: payments above 5,000 (or unsure ones) need a human. */
    public static Map<String, Object> bigPayments(String name) {
        return actionRule(name,
                all(leaf("actionType", "in", List.of("ProcessPayment")),
                        any(leaf("payload.amount", ">", 5000), leaf("confidence", "<", 0.9))),
                requireApproval("payments above 5,000 need a human"),
                List.of(actionExample("fires", "ProcessPayment", 0.95, "payload", Map.of("amount", 6000)),
                        actionExample("quiet", "ProcessPayment", 0.95, "payload", Map.of("amount", 100))));
    }
}
