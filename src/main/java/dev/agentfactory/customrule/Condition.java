package dev.agentfactory.customrule;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The {@code when} of a custom rule: leaf comparisons combined with all/any. */
sealed interface Condition {

    record All(List<Condition> members) implements Condition {
        public All {
            members = List.copyOf(members);
        }
    }

    record Any(List<Condition> members) implements Condition {
        public Any {
            members = List.copyOf(members);
        }
    }

    /** One comparison; {@code value} was type-checked against the field and operator when it was read. */
    record Leaf(String field, Fields.Type type, Operator operator, JsonNode value) implements Condition {
    }
}
