package dev.agentfactory.customrule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.rules.model.CustomTarget;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.rules.ActionInput;
import dev.agentfactory.web.ApiException;
import dev.agentfactory.web.FieldProblem;
import dev.agentfactory.web.JsonBody;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Reads a custom rule's {@code examples}: the actions or blueprints it states it fires (or stays
 * quiet) on, each converted the way the API converts a real one, so a bad example is a 400 naming it.
 */
final class ExampleReader {
    static final int MAX_EXAMPLES = 10;

    private final Problems problems;

    ExampleReader(Problems problems) {
        this.problems = problems;
    }

    List<Example> read(JsonNode node, CustomTarget target) {
        String shape = target == CustomTarget.ACTION
                ? "[{\"action\": {\"actionType\": \"...\", \"confidence\": 0.9}, \"expect\": \"fires\"}]"
                : "[{\"blueprint\": {...}, \"expect\": \"fires\"}]";
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > MAX_EXAMPLES) {
            problems.add("examples", "must be an array of 1 to " + MAX_EXAMPLES + " examples, at least one that fires: "
                    + shape);
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
            problems.add("examples", "at least one example must expect \"fires\": a rule nobody saw fire may never fire");
        }
        return examples;
    }

    private Example example(JsonNode node, String path, CustomTarget target) {
        if (node == null || !node.isObject()) {
            problems.add(path, "must be an object with expect and "
                    + (target == CustomTarget.ACTION ? "action" : "blueprint"));
            return null;
        }
        int before = problems.size();
        node.fieldNames().forEachRemaining(key -> {
            if (!Set.of("expect", "action", "agentId", "blueprint").contains(key)) {
                problems.add(path + "." + key, "unknown field; allowed: expect, action, agentId, blueprint");
            }
        });
        String expect = problems.text(node, "expect", path + ".expect", true, 10);
        if (expect != null && !expect.equals("fires") && !expect.equals("quiet")) {
            problems.add(path + ".expect", "must be fires or quiet");
        }
        ProposedAction action = null;
        UUID agentId = null;
        if (target == CustomTarget.ACTION) {
            action = action(node.get("action"), path + ".action");
            agentId = uuid(node.get("agentId"), path + ".agentId");
        } else if (node.has("action") || node.has("agentId")) {
            problems.add(path + (node.has("action") ? ".action" : ".agentId"),
                    "a blueprint rule's example gives a blueprint, not an action");
        }
        JsonNode blueprint = node.get("blueprint");
        if (blueprint != null && !blueprint.isObject()) {
            problems.add(path + ".blueprint", "must be an object: the parts of a blueprint that differ from the default");
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
            problems.add(path, "is required: the action an agent proposes, "
                    + "e.g. {\"actionType\": \"SendEmail\", \"confidence\": 0.9}");
            return null;
        }
        int before = problems.size();
        ActionInput input = convert(node, ActionInput.class, path);
        if (input == null) {
            return null;
        }
        if (input.actionType() == null || input.actionType().isBlank() || input.actionType().length() > 200) {
            problems.add(path + ".actionType", "is required: 1-200 characters");
        }
        if (input.confidence() != null && !(input.confidence() >= 0 && input.confidence() <= 1)) {
            problems.add(path + ".confidence", "must be between 0 and 1 (default 1)");
        }
        if (input.contextTypes() != null && (input.contextTypes().size() > 50 || input.contextTypes().contains(null))) {
            problems.add(path + ".contextTypes", "at most 50 context types, none null");
        }
        if (problems.size() > before) {
            return null;
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
        problems.add(path, "must be a UUID: the agent id the example's agent runs under");
        return null;
    }

    /** Jackson's conversion, its complaints re-anchored under {@code path}. */
    private <T> T convert(JsonNode node, Class<T> type, String path) {
        try {
            return JsonBody.convert(node, type);
        } catch (ApiException e) {
            for (Object detail : e.details()) {
                if (detail instanceof FieldProblem p) {
                    problems.add(p.field().equals("body") ? path : path + "." + p.field(), p.problem());
                }
            }
            if (e.details().isEmpty()) {
                problems.add(path, e.getMessage());
            }
            return null;
        }
    }
}
