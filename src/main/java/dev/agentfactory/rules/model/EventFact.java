package dev.agentfactory.rules.model;

import java.util.Map;

/** Fact: an event posted to {@code POST /api/events}, as an agent's trigger rules see it. */
public record EventFact(String type, String contactId, String intent, Map<String, Object> data) {
    public EventFact {
        type = type == null ? "" : type;
        intent = intent == null ? "" : intent;
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
    }
}
