package dev.agentfactory.rules;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code agent-factory rules check|test|publish [dir]}: what compliance officers run before they
 * save a rule change, and what a CI job runs to publish the rules folder of a git repository. All
 * three build the folder exactly as a server does ({@link BundleBuilder}).
 */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Check, test and publish governance rules without starting the server.",
        subcommands = {RulesCommand.Check.class, RulesCommand.Test.class, RulesPublishCommand.class,
                dev.agentfactory.replay.RulesImpactCommand.class})
public final class RulesCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check every rule file and template, compile them, and compile a probe agent from the "
                    + "templates; print errors as file:line: message. Exit 1 on an error.")
    static final class Check implements Callable<Integer> {
        @Parameters(arity = "0..1", defaultValue = "${env:AF_RULES_DIR:-./rules}", paramLabel = "DIR",
                description = "The rules folder. Default: ${DEFAULT-VALUE}")
        Path dir;

        @Override
        public Integer call() {
            return check(new BundleBuilder(), Bundle.read(dir), System.out) == null ? 1 : 0;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Check the rules and run the cases in DIR/tests/*.json against them and their own "
                    + "templates; print pass or fail per case. Exit 1 on a failure.")
    static final class Test implements Callable<Integer> {
        @Parameters(arity = "0..1", defaultValue = "${env:AF_RULES_DIR:-./rules}", paramLabel = "DIR",
                description = "The rules folder. Default: ${DEFAULT-VALUE}")
        Path dir;

        @Override
        public Integer call() {
            PrintStream out = System.out;
            BundleBuilder builder = new BundleBuilder();
            BundleBuilder.Checked checked = check(builder, Bundle.read(dir), out);
            if (checked == null) {
                return 1;
            }
            List<CaseResult> results = builder.runTests(checked);
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

    /** The checked bundle, or null after printing why it would be refused. */
    static BundleBuilder.Checked check(BundleBuilder builder, Bundle bundle, PrintStream out) {
        BundleBuilder.CheckResult result = builder.check(bundle);
        if (result instanceof BundleBuilder.Refused refused) {
            printRefusal(refused.refusal(), out);
            return null;
        }
        BundleBuilder.Checked checked = (BundleBuilder.Checked) result;
        out.println("OK " + checked.rules().rules().size() + " rules in " + checked.rules().files().size()
                + " files, version " + bundle.version());
        return checked;
    }

    public static void printRefusal(Refusal refusal, PrintStream out) {
        refusal.errors().forEach(out::println);
        out.println(refusal.errors().size() + " error(s) (" + refusal.reason() + "); version " + refusal.version()
                + " would be refused");
    }

    /** The database and audit settings {@code rules publish} shares with the server (same flags and variables). */
    public static final class DatabaseOptions {
        @Option(names = "--db-url", defaultValue = "${env:AF_DB_URL}", paramLabel = "JDBC_URL",
                description = "The servers' PostgreSQL (AF_DB_URL). Required")
        public String url;

        @Option(names = "--db-user", defaultValue = "${env:AF_DB_USER:-postgres}", paramLabel = "USER",
                description = "Database user (AF_DB_USER). Default: ${DEFAULT-VALUE}")
        String user;

        @Option(names = "--db-password", defaultValue = "${env:AF_DB_PASSWORD:-}", paramLabel = "PASSWORD",
                description = "Database password (AF_DB_PASSWORD). Default: empty")
        String password;

        @Option(names = "--db-app-role", defaultValue = "${env:AF_DB_APP_ROLE:-agent_factory_app}", paramLabel = "ROLE",
                description = "Database role to work as, as the servers do (AF_DB_APP_ROLE). Empty: work as the "
                        + "database user. Default: ${DEFAULT-VALUE}")
        String appRole;

        @Option(names = "--audit-key", defaultValue = "${env:AF_AUDIT_KEY}", paramLabel = "KEY",
                description = "The servers' audit key (AF_AUDIT_KEY): publishing writes audit entries. "
                        + "Default: the key file in --data-dir")
        String auditKey;

        @Option(names = "--data-dir", defaultValue = "${env:AF_DATA_DIR:-./data}", paramLabel = "DIR",
                description = "Where the audit-key file is when AF_AUDIT_KEY is unset (AF_DATA_DIR). "
                        + "Default: ${DEFAULT-VALUE}")
        Path dataDir;
    }
}
