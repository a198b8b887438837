package dev.agentfactory.cli;

import dev.agentfactory.rules.Bundle;
import dev.agentfactory.rules.BundleBuilder;
import dev.agentfactory.rules.RuleError;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * The rules folder, built the way a server builds it ({@link BundleBuilder#check}: policy check,
 * compile, templates), for the offline commands. A folder the server would refuse is bad input.
 */
final class OfflineRules {
    private OfflineRules() {
    }

    static BundleBuilder.Checked load(Path dir) {
        Bundle bundle = Bundle.read(dir);
        BundleBuilder.CheckResult result = new BundleBuilder().check(bundle);
        if (result instanceof BundleBuilder.Refused refused) {
            throw new InputFiles.BadInput("the rules folder " + dir.toAbsolutePath().normalize() + " would be refused ("
                    + refused.refusal().reason() + "):\n" + refused.refusal().errors().stream()
                    .map(RuleError::toString).map(e -> "  " + e).collect(Collectors.joining("\n")));
        }
        return (BundleBuilder.Checked) result;
    }

    static String describe(Path dir, BundleBuilder.Checked rules) {
        return "rules " + dir.toAbsolutePath().normalize() + " (version " + rules.bundle().version() + ", "
                + rules.rules().rules().size() + " rules)";
    }
}
