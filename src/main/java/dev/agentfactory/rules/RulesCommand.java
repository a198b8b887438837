package dev.agentfactory.rules;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code agent-factory rules check|test [dir]}: what compliance officers run before they save a
 * rule change, and what the server runs before it accepts one.
 */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Check and test governance rules without starting the server.",
        subcommands = {RulesCommand.Check.class, RulesCommand.Test.class})
public final class RulesCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Compile every rule file; print errors as file:line: message. Exit 1 on an error.")
    static final class Check implements java.util.concurrent.Callable<Integer> {
        @Parameters(arity = "0..1", defaultValue = "${env:AF_RULES_DIR:-./rules}", paramLabel = "DIR",
                description = "The rules folder. Default: ${DEFAULT-VALUE}")
        Path dir;

        @Override
        public Integer call() {
            return compile(dir, System.out) == null ? 1 : 0;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Compile the rules and run the cases in DIR/tests/*.json; print pass or fail per case. "
                    + "Exit 1 on a failure.")
    static final class Test implements java.util.concurrent.Callable<Integer> {
        @Parameters(arity = "0..1", defaultValue = "${env:AF_RULES_DIR:-./rules}", paramLabel = "DIR",
                description = "The rules folder. Default: ${DEFAULT-VALUE}")
        Path dir;

        @Override
        public Integer call() {
            PrintStream out = System.out;
            RuleSet ruleSet = compile(dir, out);
            if (ruleSet == null) {
                return 1;
            }
            List<CaseResult> results = new RuleTestRunner(() -> TemplateSet.read(dir)).run(ruleSet, RuleSource.read(dir));
            long failed = 0;
            for (CaseResult result : results) {
                String where = result.file() + (result.line() > 0 ? ":" + result.line() : "");
                if (result.passed()) {
                    out.println("PASS " + where + "  " + result.name());
                } else {
                    failed++;
                    out.println("FAIL " + where + "  " + result.name());
                    result.failures().forEach(f -> out.println("     " + f));
                }
            }
            out.println((results.size() - failed) + " passed, " + failed + " failed");
            return failed == 0 ? 0 : 1;
        }
    }

    /** The compiled set, or null after printing why it does not compile. */
    private static RuleSet compile(Path dir, PrintStream out) {
        if (!Files.isDirectory(dir)) {
            out.println(dir + ": no such folder");
            return null;
        }
        RuleSource source = RuleSource.read(dir);
        List<RuleError> templateViolations = TemplateSet.read(dir).policyViolations();
        RuleCompiler.Compilation compilation = RuleCompiler.compile(source);
        List<RuleError> errors = new java.util.ArrayList<>(templateViolations);
        if (compilation instanceof RuleCompiler.Failed failed) {
            errors.addAll(failed.errors());
        }
        if (!errors.isEmpty()) {
            errors.forEach(out::println);
            out.println(errors.size() + " error(s); version " + source.version() + " would be refused");
            return null;
        }
        RuleSet ruleSet = ((RuleCompiler.Compiled) compilation).ruleSet();
        out.println("OK " + ruleSet.rules().size() + " rules in " + ruleSet.files().size() + " files, version "
                + ruleSet.version());
        return ruleSet;
    }
}
