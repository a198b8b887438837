package dev.agentfactory.runtime;

import dev.agentfactory.rules.ActionInput;

import java.util.List;

/** The body of {@code POST /api/agents/{id}/actions}. */
public record ActionRequest(String traceId, List<ActionInput> actions) {
}
