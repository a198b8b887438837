package dev.agentfactory.event;

import java.util.Map;

/** The body of {@code POST /api/events}. */
public record Event(String type, String contactId, String intent, Map<String, Object> data) {
}
