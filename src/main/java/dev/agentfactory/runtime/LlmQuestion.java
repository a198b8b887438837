package dev.agentfactory.runtime;

import java.util.List;
import java.util.Map;

/** What the LLM is told when it decides whether a human must approve an action. */
public record LlmQuestion(String agentGoal, String actionType, String scope, double confidence, double riskScore,
                          List<String> reasons, Map<String, Object> userOverrides, Map<String, Object> payload,
                          String reasoning) {
}
