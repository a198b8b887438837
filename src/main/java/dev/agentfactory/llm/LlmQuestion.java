package dev.agentfactory.llm;

import java.util.List;
import java.util.Map;

/**
 * What the LLM is told when it decides whether a human must approve an action. The first fields
 * come from the server (the blueprint, the rules); {@code userOverrides}, {@code payload} and
 * {@code reasoning} are the agent's own text, which {@link LlmPrompt} passes on as delimited,
 * size-capped data.
 *
 * @param bindingReasons hard reasons: a human approves whatever the LLM answers
 * @param reasonsToJudge soft reasons: the LLM may waive them
 */
public record LlmQuestion(String agentGoal, String actionType, String scope, double confidence, double riskScore,
                          double riskThreshold, List<String> bindingReasons, List<String> reasonsToJudge,
                          Map<String, Object> userOverrides, Map<String, Object> payload, String reasoning) {
    public LlmQuestion {
        bindingReasons = List.copyOf(bindingReasons);
        reasonsToJudge = List.copyOf(reasonsToJudge);
        userOverrides = userOverrides == null ? Map.of() : userOverrides;
        payload = payload == null ? Map.of() : payload;
        reasoning = reasoning == null ? "" : reasoning;
    }
}
