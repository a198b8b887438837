package dev.agentfactory.blueprint;

import java.util.List;
import java.util.Map;

/** What an agent may read. */
public record ContextConfig(List<String> requiredContextTypes, List<String> optionalContextTypes,
                            AccessLevel accessLevel, Map<String, Object> contextFilters) {
    public ContextConfig {
        requiredContextTypes = Copies.list(requiredContextTypes);
        optionalContextTypes = Copies.list(optionalContextTypes);
        accessLevel = accessLevel == null ? AccessLevel.ContactOnly : accessLevel;
        contextFilters = Copies.map(contextFilters);
    }

    static ContextConfig defaults() {
        return new ContextConfig(null, null, null, null);
    }
}
