package dev.agentfactory.blueprint;

import dev.agentfactory.web.FieldProblem;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Caps on a blueprint's free-form objects ({@code contextFilters}, {@code promptVariables},
 * {@code industrySpecificConfig}): every version is stored, validated by the rules and shown
 * again, so each object stays small and shallow whatever a client sends.
 */
final class FreeFormJson {
    static final int MAX_ENTRIES = 50;
    static final int MAX_DEPTH = 5;
    static final int MAX_VALUES = 1_000;
    static final int MAX_KEY = 200;
    static final int MAX_STRING = 10_000;

    private final String root;
    private final List<FieldProblem> problems;
    private int values;

    private FreeFormJson(String root, List<FieldProblem> problems) {
        this.root = root;
        this.problems = problems;
    }

    static void check(String field, Map<String, Object> object, List<FieldProblem> problems) {
        new FreeFormJson(field, problems).value(field, object, 1);
    }

    /** Walks one value; false when a problem was found (the walk stops at the first). */
    private boolean value(String field, Object value, int depth) {
        if (++values > MAX_VALUES) {
            return problem(root, "at most " + MAX_VALUES + " values in all");
        }
        if (value instanceof String text && text.length() > MAX_STRING) {
            return problem(field, "strings are at most " + MAX_STRING + " characters");
        }
        if (!(value instanceof Map<?, ?>) && !(value instanceof Collection<?>)) {
            return true;
        }
        if (depth > MAX_DEPTH) {
            return problem(root, "at most " + MAX_DEPTH + " levels of nested objects and lists");
        }
        if (value instanceof Map<?, ?> object) {
            if (object.size() > MAX_ENTRIES) {
                return problem(field, "at most " + MAX_ENTRIES + " entries per object");
            }
            for (Map.Entry<?, ?> entry : object.entrySet()) {
                String key = String.valueOf(entry.getKey());
                if (key.isEmpty() || key.length() > MAX_KEY) {
                    return problem(field, "keys are 1-" + MAX_KEY + " characters");
                }
                if (!value(field + "." + key, entry.getValue(), depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        Collection<?> list = (Collection<?>) value;
        if (list.size() > MAX_ENTRIES) {
            return problem(field, "at most " + MAX_ENTRIES + " entries per list");
        }
        int index = 0;
        for (Object item : list) {
            if (!value(field + "[" + index++ + "]", item, depth + 1)) {
                return false;
            }
        }
        return true;
    }

    private boolean problem(String field, String problem) {
        problems.add(new FieldProblem(field, problem));
        return false;
    }
}
