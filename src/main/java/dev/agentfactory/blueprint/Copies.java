package dev.agentfactory.blueprint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Immutable copies for record components, with JSON's "absent" turned into "empty". */
final class Copies {
    private Copies() {
    }

    static List<String> list(List<String> values) {
        if (values == null) {
            return List.of();
        }
        if (values.contains(null)) {
            throw new IllegalArgumentException("must not contain null");
        }
        return List.copyOf(values);
    }

    /** Free-form JSON objects keep their order and may hold nulls. */
    static Map<String, Object> map(Map<String, Object> values) {
        return values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
