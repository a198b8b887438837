package dev.agentfactory.cli;

import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.blueprint.BlueprintSpecCheck;
import dev.agentfactory.rules.BlueprintValidator;
import dev.agentfactory.rules.BundleBuilder;
import dev.agentfactory.rules.ValidationReport;
import dev.agentfactory.rules.model.Finding;
import dev.agentfactory.rules.model.Requester;
import dev.agentfactory.rules.model.Severity;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code agent-factory validate blueprint.json}: the blueprint validation a deploy runs, offline,
 * against a rules folder: the same checks and rules as {@code POST /api/validation/agent}.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Validate a blueprint against the rules folder, without a server or a database: findings per "
                + "tier. Exit 0 valid, 1 an ERROR finding, 2 bad input (unreadable file, not a blueprint, rules "
                + "folder refused).")
public final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BLUEPRINT", description = "A blueprint JSON file (as POST /api/agents takes)")
    Path blueprint;

    @Option(names = "--rules-dir", defaultValue = "${env:AF_RULES_DIR:-./rules}", paramLabel = "DIR",
            description = "The rules folder (AF_RULES_DIR). Default: ${DEFAULT-VALUE}")
    Path rulesDir;

    @Option(names = "--admin", description = "Validate as an admin author (some rules are stricter for others)")
    boolean admin;

    @Option(names = "--json", description = "Print the report as JSON (as the API answers)")
    boolean json;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        try {
            BlueprintSpec spec = readBlueprint(blueprint);
            BundleBuilder.Checked rules = OfflineRules.load(rulesDir);
            ValidationReport report = validate(rules, spec, admin);
            if (json) {
                out.println(Json.write(report));
            } else {
                out.println(OfflineRules.describe(rulesDir, rules));
                print(report, out);
            }
            return report.valid() ? 0 : 1;
        } catch (InputFiles.BadInput e) {
            out.println(e.getMessage());
            return InputFiles.BAD_INPUT;
        }
    }

    /** A blueprint file, checked as POST /api/agents checks its body. */
    static BlueprintSpec readBlueprint(Path file) {
        BlueprintSpec spec = InputFiles.convert(file, InputFiles.tree(file), BlueprintSpec.class);
        try {
            BlueprintSpecCheck.requireValid(spec);
        } catch (BadRequestException e) {
            throw InputFiles.badInput(file, e);
        }
        return spec;
    }

    /** No callback host is allowed offline, as on a server with none configured. */
    static ValidationReport validate(BundleBuilder.Checked rules, BlueprintSpec spec, boolean admin) {
        return new BlueprintValidator(Set.of()).validate(rules.rules(), spec, new Requester("cli", admin));
    }

    static void print(ValidationReport report, PrintStream out) {
        var byTier = new TreeMap<Integer, List<Finding>>(report.findings().stream()
                .collect(Collectors.groupingBy(Finding::tier)));
        byTier.forEach((tier, findings) -> {
            out.println("tier " + tier + ":");
            findings.forEach(f -> out.printf("  %-7s %s %s%s%n", f.severity(), f.ruleId(), f.message(),
                    f.field() == null ? "" : " [" + f.field() + "]"));
        });
        long errors = count(report, Severity.ERROR);
        long warnings = count(report, Severity.WARNING);
        out.println(report.findings().size() + " finding(s): " + errors + " error(s), " + warnings + " warning(s); risk "
                + report.riskLevel() + (report.requiresApproval()
                ? "; deploying needs approval: " + String.join("; ", report.approvalReasons()) : ""));
        out.println(report.valid() ? "VALID" : "INVALID: the blueprint would not deploy");
    }

    private static long count(ValidationReport report, Severity severity) {
        return report.findings().stream().filter(f -> f.severity() == severity).count();
    }
}
