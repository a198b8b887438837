package dev.agentfactory.deployment;

import dev.agentfactory.blueprint.ActionScope;
import dev.agentfactory.rules.ActionPipeline;
import dev.agentfactory.rules.CompiledAgent;
import dev.agentfactory.rules.Evaluation;
import dev.agentfactory.rules.RuleSet;
import dev.agentfactory.rules.ValidationReport;
import dev.agentfactory.rules.model.Decision;
import dev.agentfactory.rules.model.Finding;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.rules.model.Severity;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a deployment's warnings will mean at run time: each allowed action type, proposed at full
 * confidence with the blueprint's required context, is decided by the same pipeline that decides
 * live actions (nothing stored, no constraint used up, no LLM asked: an LLMDecision agent's forecast
 * is its RiskBased fallback, and its reasons say so). A warning that names an action type points at
 * that type's forecast.
 */
public final class RunTimeForecast {
    /** A forecast for more types than this would make the deploy answer long; the rest are left out. */
    static final int MAX_TYPES = 25;

    private final ActionPipeline pipeline;

    RunTimeForecast(ActionPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** One allowed action type as the live rules would decide it. */
    public record Prediction(String actionType, ActionScope scope, Decision decision, List<String> reasons,
                      List<String> rulesFired) {
        public Prediction {
            reasons = List.copyOf(reasons);
            rulesFired = List.copyOf(rulesFired);
        }

        String sentence() {
            return actionType + " will be " + decision + (reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")");
        }
    }

    /** A validation warning, and what it predicts: the forecasts of the action types it names. */
    public record Warning(String ruleId, String message, String field, List<String> atRunTime) {
        public Warning {
            atRunTime = List.copyOf(atRunTime);
        }
    }

    List<Prediction> predict(RuleSet shared, CompiledAgent agent) {
        List<String> context = agent.spec().contextConfig().requiredContextTypes();
        return agent.spec().actionConfig().allowedActionTypes().stream().distinct().limit(MAX_TYPES).map(type -> {
            Evaluation evaluation = pipeline.evaluate(shared, agent, false,
                    new ProposedAction(type, 1.0, null, context, null, Map.of(), Map.of(), null));
            return new Prediction(type, evaluation.scope(), evaluation.decision(), evaluation.reasons(),
                    evaluation.rulesFired());
        }).toList();
    }

    /** The report's WARNING findings, each with the forecasts of the action types its message names. */
    static List<Warning> warnings(ValidationReport report, List<Prediction> predictions) {
        return report.findings().stream().filter(f -> f.severity() == Severity.WARNING)
                .map(f -> new Warning(f.ruleId(), f.message(), f.field(), predictions.stream()
                        .filter(p -> names(f, p.actionType())).map(Prediction::sentence).toList()))
                .toList();
    }

    private static boolean names(Finding finding, String actionType) {
        return finding.message() != null
                && Pattern.compile("\\b" + Pattern.quote(actionType) + "\\b").matcher(finding.message()).find();
    }
}
