package dev.agentfactory.rules;

import dev.agentfactory.blueprint.AccessLevel;
import java.util.List;
import java.util.Map;

/** One proposed action as an agent sends it. {@code confidence} (0..1) and {@code actionType} are required. */
public record ActionInput(String actionType, Double confidence, String contactId, List<String> contextTypes,
                          AccessLevel accessLevel, Map<String, Object> payload, Map<String, Object> userOverrides,
                          String reasoning) {
}
