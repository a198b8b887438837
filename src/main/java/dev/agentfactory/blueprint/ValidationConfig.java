package dev.agentfactory.blueprint;

import java.util.List;

/** How strictly the agent's proposed actions are checked. */
public record ValidationConfig(Double minConfidenceThreshold, Boolean requireApprovalForAllActions,
                               List<String> highRiskActionTypes, ValidationIntensity intensity) {
    public ValidationConfig {
        minConfidenceThreshold = minConfidenceThreshold == null ? 0.7 : minConfidenceThreshold;
        requireApprovalForAllActions = requireApprovalForAllActions != null && requireApprovalForAllActions;
        highRiskActionTypes = Copies.list(highRiskActionTypes);
        intensity = intensity == null ? ValidationIntensity.Standard : intensity;
    }

    static ValidationConfig defaults() {
        return new ValidationConfig(null, null, null, null);
    }
}
