package dev.agentfactory.customrule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.FieldProblem;
import java.util.ArrayList;
import java.util.List;

/** What is wrong with a custom rule's JSON, field by field, collected while reading it. */
final class Problems {
    private final List<FieldProblem> problems = new ArrayList<>();

    void add(String field, String problem) {
        problems.add(new FieldProblem(field, problem));
    }

    int size() {
        return problems.size();
    }

    /** A 400 naming every field that is wrong, if any is. */
    void throwIfAny() {
        if (!problems.isEmpty()) {
            FieldProblem first = problems.get(0);
            throw new BadRequestException("invalid custom rule: " + first.field() + " " + first.problem(), problems);
        }
    }

    /** The string under {@code key}, or null (with a problem when it is required, not a string, or too long). */
    String text(JsonNode parent, String key, String path, boolean required, int max) {
        JsonNode value = parent.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                add(path, "is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            add(path, "must be a string");
            return null;
        }
        String text = value.asText();
        if (required && text.isBlank()) {
            add(path, "must not be blank");
            return null;
        }
        if (text.length() > max) {
            add(path, "must be at most " + max + " characters");
            return null;
        }
        return text;
    }
}
