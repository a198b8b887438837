package dev.agentfactory.runtime;

import java.util.List;

/** The answer to {@code POST /api/agents/{id}/actions}: one decision per proposed action, in order. */
public record DecisionResponse(String traceId, List<DecisionView> decisions) {
    public DecisionResponse {
        decisions = List.copyOf(decisions);
    }
}
