package dev.agentfactory.blueprint;

import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.FieldProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a blueprint must satisfy to be stored at all: types, ranges and sizes (every list, text and
 * free-form object is capped, so storing, validating and compiling one stays cheap). Whether it is
 * a good blueprint (goal present, actions known, security) is the rules' job, at validation.
 */
public final class BlueprintSpecCheck {
    static final int MAX_NAME = 200;
    static final int MAX_TEXT = 10_000;
    static final int MAX_LIST = 100;
    static final int MAX_ITEM = 200;

    private final List<FieldProblem> problems = new ArrayList<>();

    private BlueprintSpecCheck() {
    }

    public static void requireValid(BlueprintSpec spec) {
        BlueprintSpecCheck check = new BlueprintSpecCheck();
        check.run(spec);
        if (!check.problems.isEmpty()) {
            throw new BadRequestException("the blueprint is invalid: " + check.problems.get(0).field() + " "
                    + check.problems.get(0).problem(), check.problems);
        }
    }

    private void run(BlueprintSpec spec) {
        if (spec.name() == null || spec.name().isBlank()) {
            problem("name", "is required and must not be blank");
        } else if (spec.name().length() > MAX_NAME) {
            problem("name", "must be at most " + MAX_NAME + " characters");
        }
        maxLength("description", spec.description(), MAX_TEXT);
        maxLength("goal", spec.goal(), MAX_TEXT);

        TriggerConfig trigger = spec.triggerConfig();
        list("triggerConfig.supportedIntents", trigger.supportedIntents());
        list("triggerConfig.eventTriggers", trigger.eventTriggers());
        TriggerConditions.check(trigger.triggerConditions(), problems);

        ContextConfig context = spec.contextConfig();
        list("contextConfig.requiredContextTypes", context.requiredContextTypes());
        list("contextConfig.optionalContextTypes", context.optionalContextTypes());
        FreeFormJson.check("contextConfig.contextFilters", context.contextFilters(), problems);

        ActionConfig action = spec.actionConfig();
        list("actionConfig.allowedActionTypes", action.allowedActionTypes());
        fraction("actionConfig.riskThreshold", action.riskThreshold());
        if (action.requiredApprovals() < 1 || action.requiredApprovals() > 100) {
            problem("actionConfig.requiredApprovals", "must be between 1 and 100");
        }
        Optional<Duration> timeout = Durations.parse(action.approvalTimeout());
        if (timeout.isEmpty() || timeout.get().isNegative() || timeout.get().isZero()) {
            problem("actionConfig.approvalTimeout", "must be a positive ISO-8601 duration such as PT24H or P2D");
        }
        if (action.callbackUrl() != null && CallbackUrls.host(action.callbackUrl()).isEmpty()) {
            problem("actionConfig.callbackUrl", "must be an absolute http or https URL of at most 2000 characters");
        }
        ActionConstraints constraints = action.actionConstraints();
        if (constraints.maxDailyActions() != null && constraints.maxDailyActions() < 1) {
            problem("actionConfig.actionConstraints.maxDailyActions", "must be at least 1");
        }
        if (constraints.cooldownPeriod() != null) {
            Optional<Duration> cooldown = Durations.parse(constraints.cooldownPeriod());
            if (cooldown.isEmpty() || cooldown.get().isNegative() || cooldown.get().isZero()) {
                problem("actionConfig.actionConstraints.cooldownPeriod",
                        "must be a positive duration such as 2h, 30m, 1d or PT2H");
            }
        }

        ValidationConfig validation = spec.validationConfig();
        fraction("validationConfig.minConfidenceThreshold", validation.minConfidenceThreshold());
        list("validationConfig.highRiskActionTypes", validation.highRiskActionTypes());

        PromptConfig prompt = spec.promptConfig();
        maxLength("promptConfig.promptTemplateId", prompt.promptTemplateId(), MAX_NAME);
        maxLength("promptConfig.customSystemPrompt", prompt.customSystemPrompt(), MAX_TEXT);
        maxLength("promptConfig.customUserPromptTemplate", prompt.customUserPromptTemplate(), MAX_TEXT);
        FreeFormJson.check("promptConfig.promptVariables", prompt.promptVariables(), problems);
        FreeFormJson.check("industrySpecificConfig", spec.industrySpecificConfig(), problems);
    }

    private void fraction(String field, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            problem(field, "must be between 0 and 1");
        }
    }

    private void maxLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            problem(field, "must be at most " + max + " characters");
        }
    }

    private void list(String field, List<String> values) {
        if (values.size() > MAX_LIST) {
            problem(field, "must have at most " + MAX_LIST + " entries");
        }
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value.isBlank()) {
                problem(field + "[" + i + "]", "must not be blank");
            } else if (value.length() > MAX_ITEM) {
                problem(field + "[" + i + "]", "must be at most " + MAX_ITEM + " characters");
            }
        }
    }

    private void problem(String field, String problem) {
        problems.add(new FieldProblem(field, problem));
    }
}
