package dev.agentfactory.customrule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.rules.model.CustomTarget;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.rules.model.Severity;
import dev.agentfactory.runtime.ActionInput;
import dev.agentfactory.web.ApiException;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.FieldProblem;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.JsonBody;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
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
    static final int MAX_EXAMPLES = 10;
    static final int MAX_REASON = 500;
    static final int MAX_DESCRIPTION = 1_000;
    static final int MAX_VALUE_TEXT = 1_000;
    static final int MAX_FINDING_FIELD = 200;

    private static final List<String> FIELDS = List.of("name", "description", "appliesTo", "when", "then", "examples");
    /** Server-owned fields: accepted so a fetched rule can be sent back, and ignored. */
    private static final Set<String> SERVER_OWNED = Set.of("id", "ruleId", "version", "createdBy", "createdAt",
            "updatedBy", "updatedAt", "drl");

    private final List<FieldProblem> problems = new ArrayList<>();
    private int leaves;

    private DefinitionReader() {
    }

    static RuleDefinition read(JsonNode body) {
        DefinitionReader reader = new DefinitionReader();
        RuleDefinition definition = reader.definition(body);
        if (!reader.problems.isEmpty()) {
            FieldProblem first = reader.problems.get(0);
            throw new BadRequestException("invalid custom rule: " + first.field() + " " + first.problem(),
                    reader.problems);
        }
        return definition;
    }

    private RuleDefinition definition(JsonNode body) {
        body.fieldNames().forEachRemaining(key -> {
            if (!FIELDS.contains(key) && !SERVER_OWNED.contains(key)) {
                problem(key, "unknown field; allowed fields: " + String.join(", ", FIELDS));
            }
        });
        String name = text(body, "name", "name", true, 64);
        if (name != null && !NAME.matcher(name).matches()) {
            problem("name", "must be 1-64 lowercase letters, digits, - and _, starting with a letter or digit, "
                    + "e.g. big-payments-need-a-human");
        }
        String description = text(body, "description", "description", false, MAX_DESCRIPTION);
        JsonNode appliesTo = body.get("appliesTo");
        CustomTarget target = appliesTo != null && appliesTo.isTextual()
                ? switch (appliesTo.asText()) {
                    case "action" -> CustomTarget.ACTION;
                    case "blueprint" -> CustomTarget.BLUEPRINT;
                    default -> null;
                } : null;
        if (target == null) {
            problem("appliesTo", "required: action or blueprint");
            return null;
        }
        Condition when = condition(body.get("when"), "when", 1, target);
        Outcome then = outcome(body.get("then"), target);
        List<Example> examples = examples(body.get("examples"), target);
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
            problem(path, "must be an object: {\"all\": [...]}, {\"any\": [...]} or {\"field\", \"op\", \"value\"}");
            return null;
        }
        if (node.has("all") || node.has("any")) {
            String key = node.has("all") ? "all" : "any";
            if (node.size() != 1) {
                problem(path, "a group holds \"all\" or \"any\" and nothing else");
                return null;
            }
            String groupPath = path + "." + key;
            if (depth > MAX_DEPTH) {
                problem(groupPath, "all/any may be nested at most " + MAX_DEPTH + " levels deep");
                return null;
            }
            JsonNode members = node.get(key);
            if (!members.isArray() || members.isEmpty() || members.size() > MAX_CONDITIONS) {
                problem(groupPath, "must be an array of 1 to " + MAX_CONDITIONS + " conditions");
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
            problem("when", "at most " + MAX_CONDITIONS + " conditions per rule");
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!Set.of("field", "op", "value").contains(key)) {
                problem(path + "." + key, "unknown field; a condition has field, op and value");
            }
        });
        String field = text(node, "field", path + ".field", true, Fields.MAX_KEY + 30);
        Fields.Type type = null;
        if (field != null) {
            type = Fields.lookup(target, field).orElse(null);
            if (type == null) {
                problem(path + ".field", "unknown field '" + field + "' for " + target.json() + " rules; allowed: "
                        + Fields.allowed(target));
            }
        }
        String symbol = text(node, "op", path + ".op", true, 20);
        Operator operator = null;
        if (symbol != null) {
            operator = Operator.of(symbol).orElse(null);
            if (operator == null) {
                problem(path + ".op", "unknown operator '" + symbol + "'; allowed: " + Operator.allowed());
            } else if (type != null && !type.kind().allows(operator)) {
                problem(path + ".op", "operator " + symbol + " does not apply to the " + type.kind().describe()
                        + " field " + field + "; allowed here: " + type.kind().operators());
                operator = null;
            }
        }
        JsonNode value = node.get("value");
        if (value == null) {
            problem(path + ".value", "is required");
        } else if (type != null && operator != null) {
            value(type, operator, value, path + ".value");
        }
        return new Condition.Leaf(field, type, operator, value);
    }

    private void value(Fields.Type type, Operator operator, JsonNode value, String path) {
        switch (operator) {
            case IN -> {
                if (!value.isArray() || value.isEmpty() || value.size() > MAX_VALUES) {
                    problem(path, "must be an array of 1 to " + MAX_VALUES + " values"
                            + (value.isArray() ? " (found " + value.size() + ")" : ""));
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    scalar(type, value.get(i), path + "[" + i + "]");
                }
            }
            case LT, LE, GT, GE -> {
                if (!value.isNumber()) {
                    problem(path, "must be a number");
                }
            }
            case MATCHES -> {
                if (!value.isTextual()) {
                    problem(path, "must be a regular expression, as a string");
                } else {
                    BoundedPattern.problem(value.asText()).ifPresent(p -> problem(path, p));
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
                    problem(path, "must be a string of at most " + MAX_VALUE_TEXT + " characters");
                }
            }
            case NUMBER -> {
                if (!value.isNumber()) {
                    problem(path, "must be a number");
                }
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    problem(path, "must be true or false");
                }
            }
            case ENUM -> {
                if (!value.isTextual() || !type.values().contains(value.asText())) {
                    problem(path, (value.isTextual() ? "'" + value.asText() + "' is not allowed" : "must be a string")
                            + "; allowed values: " + String.join(", ", type.values()));
                }
            }
            case ANY -> {
                if (!(value.isNumber() || value.isBoolean()
                        || (value.isTextual() && value.asText().length() <= MAX_VALUE_TEXT))) {
                    problem(path, "must be a number, true or false, or a string of at most " + MAX_VALUE_TEXT
                            + " characters");
                }
            }
        }
    }

    private Outcome outcome(JsonNode node, CustomTarget target) {
        String shapes = "{\"requireApproval\": \"why\"}, {\"risk\": 0.3, \"reason\": \"why\"} (actions) or "
                + "{\"finding\": {\"severity\", \"field\", \"message\"}} (blueprints)";
        if (node == null || !node.isObject()) {
            problem("then", "must be one outcome: " + shapes);
            return null;
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!Set.of("requireApproval", "risk", "reason", "finding").contains(key)) {
                problem("then." + key, "unknown field; allowed: requireApproval, risk and reason, finding");
            }
        });
        int outcomes = (node.has("requireApproval") ? 1 : 0) + (node.has("risk") ? 1 : 0) + (node.has("finding") ? 1 : 0);
        if (outcomes != 1) {
            problem("then", "must be exactly one outcome: " + shapes);
            return null;
        }
        if (node.has("reason") && !node.has("risk")) {
            problem("then.reason", "goes with risk only");
        }
        if (node.has("requireApproval")) {
            String reason = text(node, "requireApproval", "then.requireApproval", true, MAX_REASON);
            return new Outcome.RequireApproval(reason);
        }
        if (node.has("risk")) {
            if (target != CustomTarget.ACTION) {
                problem("then.risk", "risk applies to action rules; a blueprint rule gives a finding or requireApproval");
                return null;
            }
            JsonNode risk = node.get("risk");
            if (!risk.isNumber() || !(risk.doubleValue() > 0 && risk.doubleValue() <= 1)) {
                problem("then.risk", "must be a number above 0 and at most 1");
            }
            String reason = text(node, "reason", "then.reason", true, MAX_REASON);
            return new Outcome.Risk(risk.doubleValue(), reason);
        }
        if (target != CustomTarget.BLUEPRINT) {
            problem("then.finding", "findings apply to blueprint rules; an action rule gives requireApproval or risk");
            return null;
        }
        JsonNode finding = node.get("finding");
        if (!finding.isObject()) {
            problem("then.finding", "must be an object: {\"severity\": \"ERROR|WARNING|INFO\", \"field\", \"message\"}");
            return null;
        }
        finding.fieldNames().forEachRemaining(key -> {
            if (!Set.of("severity", "field", "message").contains(key)) {
                problem("then.finding." + key, "unknown field; allowed: severity, field, message");
            }
        });
        String severity = text(finding, "severity", "then.finding.severity", true, 10);
        Severity parsed = null;
        if (severity != null) {
            try {
                parsed = Severity.valueOf(severity);
            } catch (IllegalArgumentException e) {
                problem("then.finding.severity", "'" + severity + "' is not allowed; allowed values: ERROR, WARNING, INFO");
            }
        }
        String field = text(finding, "field", "then.finding.field", false, MAX_FINDING_FIELD);
        String message = text(finding, "message", "then.finding.message", true, MAX_REASON);
        return new Outcome.Finding(parsed, field, message);
    }

    private List<Example> examples(JsonNode node, CustomTarget target) {
        String shape = target == CustomTarget.ACTION
                ? "[{\"action\": {\"actionType\": \"...\", \"confidence\": 0.9}, \"expect\": \"fires\"}]"
                : "[{\"blueprint\": {...}, \"expect\": \"fires\"}]";
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > MAX_EXAMPLES) {
            problem("examples", "must be an array of 1 to " + MAX_EXAMPLES + " examples, at least one that fires: " + shape);
            return List.of();
        }
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            Example example = example(node.get(i), "examples[" + i + "]", target);
            if (example != null) {
                examples.add(example);
            }
        }
        if (examples.size() == node.size() && examples.stream().noneMatch(Example::fires)) {
            problem("examples", "at least one example must expect \"fires\": a rule nobody saw fire may never fire");
        }
        return examples;
    }

    private Example example(JsonNode node, String path, CustomTarget target) {
        if (node == null || !node.isObject()) {
            problem(path, "must be an object with expect and " + (target == CustomTarget.ACTION ? "action" : "blueprint"));
            return null;
        }
        int before = problems.size();
        node.fieldNames().forEachRemaining(key -> {
            if (!Set.of("expect", "action", "agentId", "blueprint").contains(key)) {
                problem(path + "." + key, "unknown field; allowed: expect, action, agentId, blueprint");
            }
        });
        String expect = text(node, "expect", path + ".expect", true, 10);
        if (expect != null && !expect.equals("fires") && !expect.equals("quiet")) {
            problem(path + ".expect", "must be fires or quiet");
        }
        ProposedAction action = null;
        UUID agentId = null;
        if (target == CustomTarget.ACTION) {
            action = action(node.get("action"), path + ".action");
            agentId = uuid(node.get("agentId"), path + ".agentId");
        } else if (node.has("action") || node.has("agentId")) {
            problem(path + (node.has("action") ? ".action" : ".agentId"),
                    "a blueprint rule's example gives a blueprint, not an action");
        }
        JsonNode blueprint = node.get("blueprint");
        if (blueprint != null && !blueprint.isObject()) {
            problem(path + ".blueprint", "must be an object: the parts of a blueprint that differ from the default");
        }
        if (problems.size() > before) {
            return null;
        }
        BlueprintSpec spec = convert(ExampleBlueprints.merge(ExampleBlueprints.base(action), blueprint),
                BlueprintSpec.class, path + ".blueprint");
        return spec == null ? null : new Example(action, agentId, spec, "fires".equals(expect));
    }

    private ProposedAction action(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            problem(path, "is required: the action an agent proposes, e.g. {\"actionType\": \"SendEmail\", \"confidence\": 0.9}");
            return null;
        }
        ActionInput input = convert(node, ActionInput.class, path);
        if (input == null) {
            return null;
        }
        if (input.actionType() == null || input.actionType().isBlank() || input.actionType().length() > 200) {
            problem(path + ".actionType", "is required: 1-200 characters");
        }
        if (input.confidence() != null && !(input.confidence() >= 0 && input.confidence() <= 1)) {
            problem(path + ".confidence", "must be between 0 and 1 (default 1)");
        }
        if (input.contextTypes() != null && (input.contextTypes().size() > 50 || input.contextTypes().contains(null))) {
            problem(path + ".contextTypes", "at most 50 context types, none null");
        }
        return new ProposedAction(input.actionType(), input.confidence() == null ? 1.0 : input.confidence(),
                input.contactId(), input.contextTypes(), input.accessLevel(), input.payload(), input.userOverrides(),
                input.reasoning());
    }

    private UUID uuid(JsonNode value, String path) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            if (value.isTextual() && value.asText().length() == 36) {
                return UUID.fromString(value.asText());
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        problem(path, "must be a UUID: the agent id the example's agent runs under");
        return null;
    }

    /** Jackson's conversion, its complaints re-anchored under {@code path}. */
    private <T> T convert(JsonNode node, Class<T> type, String path) {
        try {
            return JsonBody.convert(node, type);
        } catch (ApiException e) {
            for (Object detail : e.details()) {
                if (detail instanceof FieldProblem p) {
                    problem(p.field().equals("body") ? path : path + "." + p.field(), p.problem());
                }
            }
            if (e.details().isEmpty()) {
                problem(path, e.getMessage());
            }
            return null;
        }
    }

    private String text(JsonNode parent, String key, String path, boolean required, int max) {
        JsonNode value = parent.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                problem(path, "is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            problem(path, "must be a string");
            return null;
        }
        String text = value.asText();
        if (required && text.isBlank()) {
            problem(path, "must not be blank");
            return null;
        }
        if (text.length() > max) {
            problem(path, "must be at most " + max + " characters");
            return null;
        }
        return text;
    }

    private void problem(String field, String problem) {
        problems.add(new FieldProblem(field, problem));
    }
}
