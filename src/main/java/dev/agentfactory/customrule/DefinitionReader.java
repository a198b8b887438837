package dev.agentfactory.customrule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentfactory.rules.model.CustomTarget;
import dev.agentfactory.web.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a custom rule's JSON into a {@link RuleDefinition}: every field, operator and value is
 * checked against the allow-lists and caps here, so nothing unchecked reaches the rule engine.
 * Anything wrong is a 400 whose details name each field, e.g. {@code when.all[1].any[0].value}.
 */
final class DefinitionReader {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    static final int MAX_CONDITIONS = 50;
    static final int MAX_VALUES = 50;
    static final int MAX_DEPTH = 4;
    static final int MAX_DESCRIPTION = 1_000;
    static final int MAX_VALUE_TEXT = 1_000;

    private static final List<String> FIELDS = List.of("name", "description", "appliesTo", "when", "then", "examples");
    /** Server-owned fields: accepted so a fetched rule can be sent back, and ignored. */
    private static final Set<String> SERVER_OWNED = Set.of("id", "ruleId", "version", "createdBy", "createdAt",
            "updatedBy", "updatedAt", "drl");

    private final Problems problems = new Problems();
    private int leaves;

    private DefinitionReader() {
    }

    static RuleDefinition read(JsonNode body) {
        DefinitionReader reader = new DefinitionReader();
        RuleDefinition definition = reader.definition(body);
        reader.problems.throwIfAny();
        return definition;
    }

    private RuleDefinition definition(JsonNode body) {
        body.fieldNames().forEachRemaining(key -> {
            if (!FIELDS.contains(key) && !SERVER_OWNED.contains(key)) {
                problems.add(key, "unknown field; allowed fields: " + String.join(", ", FIELDS));
            }
        });
        String name = problems.text(body, "name", "name", true, 64);
        if (name != null && !NAME.matcher(name).matches()) {
            problems.add("name", "must be 1-64 lowercase letters, digits, - and _, starting with a letter or digit, "
                    + "e.g. big-payments-need-a-human");
        }
        String description = problems.text(body, "description", "description", false, MAX_DESCRIPTION);
        JsonNode appliesTo = body.get("appliesTo");
        CustomTarget target = appliesTo != null && appliesTo.isTextual()
                ? switch (appliesTo.asText()) {
                    case "action" -> CustomTarget.ACTION;
                    case "blueprint" -> CustomTarget.BLUEPRINT;
                    default -> null;
                } : null;
        if (target == null) {
            problems.add("appliesTo", "required: action or blueprint");
            return null;
        }
        Condition when = condition(body.get("when"), "when", 1, target);
        Outcome then = new OutcomeReader(problems).read(body.get("then"), target);
        List<Example> examples = new ExampleReader(problems).read(body.get("examples"), target);
        ObjectNode json = Json.MAPPER.createObjectNode();
        for (String field : FIELDS) {
            if (body.hasNonNull(field)) {
                json.set(field, body.get(field).deepCopy());
            }
        }
        return new RuleDefinition(name, description, target, when, then, examples, json);
    }

    private Condition condition(JsonNode node, String path, int depth, CustomTarget target) {
        if (node == null || !node.isObject()) {
            problems.add(path, "must be an object: {\"all\": [...]}, {\"any\": [...]} or {\"field\", \"op\", \"value\"}");
            return null;
        }
        if (node.has("all") || node.has("any")) {
            String key = node.has("all") ? "all" : "any";
            if (node.size() != 1) {
                problems.add(path, "a group holds \"all\" or \"any\" and nothing else");
                return null;
            }
            String groupPath = path + "." + key;
            if (depth > MAX_DEPTH) {
                problems.add(groupPath, "all/any may be nested at most " + MAX_DEPTH + " levels deep");
                return null;
            }
            JsonNode members = node.get(key);
            if (!members.isArray() || members.isEmpty() || members.size() > MAX_CONDITIONS) {
                problems.add(groupPath, "must be an array of 1 to " + MAX_CONDITIONS + " conditions");
                return null;
            }
            List<Condition> conditions = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                Condition member = condition(members.get(i), groupPath + "[" + i + "]", depth + 1, target);
                if (member != null) {
                    conditions.add(member);
                }
            }
            return key.equals("all") ? new Condition.All(conditions) : new Condition.Any(conditions);
        }
        return leaf(node, path, target);
    }

    private Condition leaf(JsonNode node, String path, CustomTarget target) {
        if (++leaves == MAX_CONDITIONS + 1) {
            problems.add("when", "at most " + MAX_CONDITIONS + " conditions per rule");
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!Set.of("field", "op", "value").contains(key)) {
                problems.add(path + "." + key, "unknown field; a condition has field, op and value");
            }
        });
        String field = problems.text(node, "field", path + ".field", true, Fields.MAX_KEY + 30);
        Fields.Type type = null;
        if (field != null) {
            type = Fields.lookup(target, field).orElse(null);
            if (type == null) {
                problems.add(path + ".field", "unknown field '" + field + "' for " + target.json() + " rules; allowed: "
                        + Fields.allowed(target));
            }
        }
        String symbol = problems.text(node, "op", path + ".op", true, 20);
        Operator operator = null;
        if (symbol != null) {
            operator = Operator.of(symbol).orElse(null);
            if (operator == null) {
                problems.add(path + ".op", "unknown operator '" + symbol + "'; allowed: " + Operator.allowed());
            } else if (type != null && !type.kind().allows(operator)) {
                problems.add(path + ".op", "operator " + symbol + " does not apply to the " + type.kind().describe()
                        + " field " + field + "; allowed here: " + type.kind().operators());
                operator = null;
            }
        }
        JsonNode value = node.get("value");
        if (value == null) {
            problems.add(path + ".value", "is required");
        } else if (type != null && operator != null) {
            value(type, operator, value, path + ".value");
        }
        return new Condition.Leaf(field, type, operator, value);
    }

    private void value(Fields.Type type, Operator operator, JsonNode value, String path) {
        switch (operator) {
            case IN -> {
                if (!value.isArray() || value.isEmpty() || value.size() > MAX_VALUES) {
                    problems.add(path, "must be an array of 1 to " + MAX_VALUES + " values"
                            + (value.isArray() ? " (found " + value.size() + ")" : ""));
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    scalar(type, value.get(i), path + "[" + i + "]");
                }
            }
            case LT, LE, GT, GE -> {
                if (!value.isNumber()) {
                    problems.add(path, "must be a number");
                }
            }
            case MATCHES -> {
                if (!value.isTextual()) {
                    problems.add(path, "must be a regular expression, as a string");
                } else {
                    BoundedPattern.problem(value.asText()).ifPresent(p -> problems.add(path, p));
                }
            }
            case CONTAINS -> scalar(type.kind() == FieldKind.ANY ? type : new Fields.Type(FieldKind.TEXT, List.of()),
                    value, path);
            case EQ, NE -> scalar(type, value, path);
        }
    }

    private void scalar(Fields.Type type, JsonNode value, String path) {
        switch (type.kind()) {
            case TEXT, TEXT_LIST -> {
                if (!value.isTextual() || value.asText().length() > MAX_VALUE_TEXT) {
                    problems.add(path, "must be a string of at most " + MAX_VALUE_TEXT + " characters");
                }
            }
            case NUMBER -> {
                if (!value.isNumber()) {
                    problems.add(path, "must be a number");
                }
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    problems.add(path, "must be true or false");
                }
            }
            case ENUM -> {
                if (!value.isTextual() || !type.values().contains(value.asText())) {
                    problems.add(path, (value.isTextual() ? "'" + value.asText() + "' is not allowed" : "must be a string")
                            + "; allowed values: " + String.join(", ", type.values()));
                }
            }
            case ANY -> {
                if (!(value.isNumber() || value.isBoolean()
                        || (value.isTextual() && value.asText().length() <= MAX_VALUE_TEXT))) {
                    problems.add(path, "must be a number, true or false, or a string of at most " + MAX_VALUE_TEXT
                            + " characters");
                }
            }
        }
    }
}
