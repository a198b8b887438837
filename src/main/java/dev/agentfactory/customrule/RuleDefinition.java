package dev.agentfactory.customrule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.rules.model.CustomTarget;
import java.util.List;

/**
 * A custom rule as its author wrote it, checked and typed.
 *
 * @param json the definition as stored and shown: name, description, appliesTo, when, then, examples
 */
record RuleDefinition(String name, String description, CustomTarget appliesTo, Condition when, Outcome then,
                      List<Example> examples, JsonNode json) {
    RuleDefinition {
        examples = List.copyOf(examples);
    }
}
