package dev.agentfactory.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.llm.LlmAdvisor;
import dev.agentfactory.rules.ActionInput;
import dev.agentfactory.rules.ActionPipeline;
import dev.agentfactory.rules.AgentCompileException;
import dev.agentfactory.rules.AgentCompiler;
import dev.agentfactory.rules.BundleBuilder;
import dev.agentfactory.rules.CompiledAgent;
import dev.agentfactory.rules.Evaluation;
import dev.agentfactory.rules.ValidationReport;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.web.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code agent-factory decide blueprint.json action.json}: the decision a deployed agent of that
 * blueprint would get for the action, offline: the blueprint compiled from the folder's templates
 * as a deploy compiles it, the action through the same three-tier pipeline. No LLM is asked
 * (LLMDecision falls back to RiskBased and says so) and no daily cap or cooldown has been used.
 */
@Command(name = "decide", mixinStandardHelpOptions = true,
        description = "Decide an action for a blueprint against the rules folder, without a server or a database: "
                + "decision, risk, reasons and rules fired. Exit 0 decided, 1 the blueprint has an ERROR finding "
                + "(it would not deploy), 2 bad input.")
public final class DecideCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BLUEPRINT", description = "A blueprint JSON file")
    Path blueprint;

    @Parameters(index = "1", paramLabel = "ACTION",
            description = "An action JSON file: {\"actionType\", \"confidence\", \"contextTypes\", ...} as one entry of "
                    + "POST /api/agents/{id}/actions, or {\"actions\": [...]}")
    Path action;

    @Option(names = "--rules-dir", defaultValue = "${env:AF_RULES_DIR:-./rules}", paramLabel = "DIR",
            description = "The rules folder (AF_RULES_DIR). Default: ${DEFAULT-VALUE}")
    Path rulesDir;

    @Option(names = "--admin", description = "Validate the blueprint as an admin author")
    boolean admin;

    @Option(names = "--json", description = "Print the decisions as JSON")
    boolean json;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        try {
            BlueprintSpec spec = ValidateCommand.readBlueprint(blueprint);
            List<ProposedAction> actions = readActions(action);
            BundleBuilder.Checked rules = OfflineRules.load(rulesDir);
            ValidationReport report = ValidateCommand.validate(rules, spec, admin);
            if (!report.valid()) {
                out.println(OfflineRules.describe(rulesDir, rules));
                ValidateCommand.print(report, out);
                return 1;
            }
            CompiledAgent agent = AgentCompiler.compile(rules.templates(), new UUID(0, 0), UUID.randomUUID(),
                    new UUID(0, 0), 1, spec);
            ActionPipeline pipeline = new ActionPipeline(LlmAdvisor.NONE);
            List<Map<String, Object>> decisions = new ArrayList<>();
            if (!json) {
                out.println(OfflineRules.describe(rulesDir, rules));
            }
            for (ProposedAction proposed : actions) {
                Evaluation evaluation = pipeline.evaluate(rules.rules(), agent, false, proposed);
                if (json) {
                    decisions.add(view(evaluation));
                } else {
                    print(evaluation, out);
                }
            }
            if (json) {
                out.println(Json.write(Map.of("decisions", decisions)));
            }
            return 0;
        } catch (InputFiles.BadInput e) {
            out.println(e.getMessage());
            return InputFiles.BAD_INPUT;
        } catch (AgentCompileException e) {
            out.println(blueprint + ": does not compile into an agent with the templates of " + rulesDir + ": "
                    + e.errors());
            return 1;
        }
    }

    private static List<ProposedAction> readActions(Path file) {
        JsonNode node = InputFiles.tree(file);
        List<JsonNode> entries = new ArrayList<>();
        if (node.has("actions") && node.get("actions").isArray()) {
            node.get("actions").forEach(entries::add);
        } else {
            entries.add(node);
        }
        if (entries.isEmpty()) {
            throw new InputFiles.BadInput(file + ": \"actions\" is empty");
        }
        List<ProposedAction> actions = new ArrayList<>();
        for (JsonNode entry : entries) {
            ActionInput input = InputFiles.convert(file, entry, ActionInput.class);
            if (input.actionType() == null || input.actionType().isBlank()) {
                throw new InputFiles.BadInput(file + ": actionType is required");
            }
            if (input.confidence() == null || !(input.confidence() >= 0 && input.confidence() <= 1)) {
                throw new InputFiles.BadInput(file + ": confidence is required: a number between 0 and 1");
            }
            actions.add(new ProposedAction(input.actionType(), input.confidence(), input.contactId(),
                    input.contextTypes(), input.accessLevel(), input.payload(), input.userOverrides(), input.reasoning()));
        }
        return actions;
    }

    private static Map<String, Object> view(Evaluation evaluation) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("actionType", evaluation.actionType());
        view.put("scope", evaluation.scope());
        view.put("decision", evaluation.decision());
        view.put("riskScore", evaluation.riskScore());
        view.put("reasons", evaluation.reasons());
        view.put("rulesFired", evaluation.rulesFired());
        view.put("ruleSetVersion", evaluation.ruleSetVersion());
        return view;
    }

    private static void print(Evaluation evaluation, PrintStream out) {
        out.println(evaluation.actionType() + " (" + evaluation.scope() + "): " + evaluation.decision()
                + ", risk " + evaluation.riskScore());
        evaluation.reasons().forEach(reason -> out.println("  reason: " + reason));
        out.println("  rules fired: " + String.join(", ", evaluation.rulesFired()));
    }
}
