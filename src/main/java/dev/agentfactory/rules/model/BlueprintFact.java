package dev.agentfactory.rules.model;

import dev.agentfactory.blueprint.AccessLevel;
import dev.agentfactory.blueprint.ActionScope;
import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.blueprint.Durations;
import dev.agentfactory.blueprint.IndustryProfile;
import dev.agentfactory.blueprint.OverrideMode;
import dev.agentfactory.blueprint.TriggerMode;
import dev.agentfactory.blueprint.ValidationIntensity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Fact: a blueprint, flattened so rules can say {@code BlueprintFact(overrideMode == OverrideMode.NeverAsk)}
 * instead of walking nested sections. Strings that were absent are empty, never null.
 *
 * @param approvalTimeoutMinutes the approval timeout in minutes, or -1 when it cannot be read
 * @param cooldownMinutes the cooldown period in minutes, or 0 when there is none
 * @param maxDailyActions 0 when there is no daily cap
 * @param promptText all prompt text an LLM would see (custom prompts and variable values), for injection checks
 */
public record BlueprintFact(
        String name,
        String description,
        String goal,
        TriggerMode mode,
        List<String> supportedIntents,
        List<String> eventTriggers,
        Map<String, Object> triggerConditions,
        List<String> requiredContextTypes,
        List<String> optionalContextTypes,
        AccessLevel accessLevel,
        List<String> allowedActionTypes,
        ActionScope maxAllowedScope,
        OverrideMode overrideMode,
        double riskThreshold,
        int requiredApprovals,
        String approvalTimeout,
        long approvalTimeoutMinutes,
        int maxDailyActions,
        long cooldownMinutes,
        double minConfidenceThreshold,
        boolean requireApprovalForAllActions,
        List<String> highRiskActionTypes,
        ValidationIntensity intensity,
        String promptTemplateId,
        String customSystemPrompt,
        String customUserPromptTemplate,
        String promptText,
        IndustryProfile industryProfile,
        Map<String, Object> industrySpecificConfig) {

    public static BlueprintFact of(BlueprintSpec spec) {
        var trigger = spec.triggerConfig();
        var context = spec.contextConfig();
        var action = spec.actionConfig();
        var validation = spec.validationConfig();
        var prompt = spec.promptConfig();
        String promptText = Stream.concat(
                        Stream.of(prompt.customSystemPrompt(), prompt.customUserPromptTemplate()),
                        prompt.promptVariables().values().stream().map(v -> v == null ? null : v.toString()))
                .filter(s -> s != null && !s.isBlank())
                .collect(Collectors.joining("\n"));
        return new BlueprintFact(
                text(spec.name()), text(spec.description()), text(spec.goal()),
                trigger.mode(), trigger.supportedIntents(), trigger.eventTriggers(), trigger.triggerConditions(),
                context.requiredContextTypes(), context.optionalContextTypes(), context.accessLevel(),
                action.allowedActionTypes(), action.maxAllowedScope(), action.overrideMode(), action.riskThreshold(),
                action.requiredApprovals(), action.approvalTimeout(),
                Durations.parse(action.approvalTimeout()).map(Duration::toMinutes).orElse(-1L),
                action.actionConstraints().maxDailyActions() == null ? 0 : action.actionConstraints().maxDailyActions(),
                Durations.parse(action.actionConstraints().cooldownPeriod()).map(Duration::toMinutes).orElse(0L),
                validation.minConfidenceThreshold(), validation.requireApprovalForAllActions(),
                validation.highRiskActionTypes(), validation.intensity(),
                text(prompt.promptTemplateId()), text(prompt.customSystemPrompt()),
                text(prompt.customUserPromptTemplate()), promptText,
                spec.industryProfile(), spec.industrySpecificConfig());
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
