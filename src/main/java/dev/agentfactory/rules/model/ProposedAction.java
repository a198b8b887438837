package dev.agentfactory.rules.model;

import dev.agentfactory.blueprint.AccessLevel;
import java.util.List;
import java.util.Map;

/** Fact: one action an agent proposes, as the action rules see it. */
public record ProposedAction(String actionType, double confidence, String contactId, List<String> contextTypes,
                             AccessLevel accessLevel, Map<String, Object> payload, Map<String, Object> userOverrides,
                             String reasoning) {
    public ProposedAction {
        contextTypes = contextTypes == null ? List.of() : List.copyOf(contextTypes);
        payload = payload == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(payload));
        userOverrides = userOverrides == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(userOverrides));
    }
}
