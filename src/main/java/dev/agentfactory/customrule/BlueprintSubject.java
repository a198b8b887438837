package dev.agentfactory.customrule;

import dev.agentfactory.rules.model.BlueprintFact;

/** A blueprint as custom blueprint rules see it: the same flattened fact the shared rules match. */
record BlueprintSubject(BlueprintFact blueprint) implements Subject {

    @Override
    public Object value(String field) {
        BlueprintFact b = blueprint;
        return switch (field) {
            case "name" -> b.name();
            case "description" -> b.description();
            case "goal" -> b.goal();
            case "mode" -> b.mode();
            case "supportedIntents" -> b.supportedIntents();
            case "eventTriggers" -> b.eventTriggers();
            case "requiredContextTypes" -> b.requiredContextTypes();
            case "optionalContextTypes" -> b.optionalContextTypes();
            case "accessLevel" -> b.accessLevel();
            case "allowedActionTypes" -> b.allowedActionTypes();
            case "maxAllowedScope" -> b.maxAllowedScope();
            case "overrideMode" -> b.overrideMode();
            case "riskThreshold" -> b.riskThreshold();
            case "requiredApprovals" -> b.requiredApprovals();
            case "approvalTimeoutMinutes" -> b.approvalTimeoutMinutes();
            case "maxDailyActions" -> b.maxDailyActions();
            case "cooldownMinutes" -> b.cooldownMinutes();
            case "minConfidenceThreshold" -> b.minConfidenceThreshold();
            case "requireApprovalForAllActions" -> b.requireApprovalForAllActions();
            case "highRiskActionTypes" -> b.highRiskActionTypes();
            case "intensity" -> b.intensity();
            case "promptTemplateId" -> b.promptTemplateId();
            case "customSystemPrompt" -> b.customSystemPrompt();
            case "customUserPromptTemplate" -> b.customUserPromptTemplate();
            case "promptText" -> b.promptText();
            case "industryProfile" -> b.industryProfile();
            default -> {
                if (field.startsWith("industrySpecificConfig.")) {
                    yield Subject.entry(b.industrySpecificConfig(), field);
                }
                throw new IllegalArgumentException("not a blueprint field: " + field);
            }
        };
    }
}
