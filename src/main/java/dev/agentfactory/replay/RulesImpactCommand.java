package dev.agentfactory.replay;

import dev.agentfactory.blueprint.Durations;
import dev.agentfactory.customrule.CustomRuleLoader;
import dev.agentfactory.customrule.CustomRuleRegistry;
import dev.agentfactory.db.DatabaseErrors;
import dev.agentfactory.llm.LlmAdvisor;
import dev.agentfactory.rules.ActionPipeline;
import dev.agentfactory.rules.BuiltBundle;
import dev.agentfactory.rules.Bundle;
import dev.agentfactory.rules.BundleBuilder;
import dev.agentfactory.rules.RulesCommand;
import dev.agentfactory.rules.RulesPublishCommand;
import dev.agentfactory.web.ApiException;
import dev.agentfactory.web.Json;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code agent-factory rules impact DIR}: what the rules in DIR would have decided on the decisions
 * stored in the servers' database (every organization), before anything is published. Reads only.
 */
@Command(name = "impact", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Build the rules in DIR as a server would, then re-decide the stored decisions of a time window "
                + "against them and print what would flip: counts old -> new, by agent and action type, and sample "
                + "decisions with the rules that made the difference. Exit 0; 3 when more than --max-flips decisions "
                + "flip; 1 on an error.")
public final class RulesImpactCommand implements Callable<Integer> {
    /** The exit code of a CI gate that refuses the change. */
    public static final int TOO_MANY_FLIPS = 3;

    @Parameters(arity = "0..1", defaultValue = "${env:AF_RULES_DIR:-./rules}", paramLabel = "DIR",
            description = "The rules folder (the candidate). Default: ${DEFAULT-VALUE}")
    Path dir;

    @Option(names = "--since", defaultValue = "7d", paramLabel = "DURATION",
            description = "How far back from --to (e.g. 7d, 24h, P7D). Default: ${DEFAULT-VALUE}")
    String since;

    @Option(names = "--to", paramLabel = "INSTANT", description = "End of the window (ISO-8601). Default: now")
    Instant to;

    @Option(names = "--agent", paramLabel = "UUID", description = "Only this agent's decisions. Default: every agent")
    UUID agent;

    @Option(names = "--limit", defaultValue = "100000", paramLabel = "N",
            description = "At most N decisions, oldest first (1-100000). Default: ${DEFAULT-VALUE}")
    int limit;

    @Option(names = "--samples", defaultValue = "20", paramLabel = "N",
            description = "Flipped decisions to show (0-100). Default: ${DEFAULT-VALUE}")
    int samples;

    @Option(names = "--max-flips", paramLabel = "N",
            description = "Exit 3 when more than N decisions flip (a CI gate). Default: no gate")
    Long maxFlips;

    @Option(names = "--json", description = "Print the report as JSON (as POST /api/impact answers)")
    boolean json;

    @Mixin
    RulesCommand.DatabaseOptions database;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (database.url == null || database.url.isBlank()) {
            out.println("no database: set AF_DB_URL or --db-url to the servers' PostgreSQL");
            return 1;
        }
        Window window;
        try {
            window = window(since, to, agent, limit, samples);
        } catch (ApiException e) {
            out.println(e.getMessage() + ": " + e.details());
            return 1;
        }
        BundleBuilder.Result result = new BundleBuilder().build(Bundle.read(dir));
        if (result instanceof BundleBuilder.Refused refused) {
            RulesCommand.printRefusal(refused.refusal(), out);
            return 1;
        }
        BuiltBundle built = ((BundleBuilder.Built) result).bundle();
        try (HikariDataSource dataSource = RulesPublishCommand.connect(database)) {
            ImpactReport.Result report = replay(dataSource, built, window);
            if (json) {
                out.println(Json.write(report));
            } else {
                print(report, out);
            }
            if (maxFlips != null && report.flipped() > maxFlips) {
                out.println("more than --max-flips " + maxFlips + " decisions flip");
                return TOO_MANY_FLIPS;
            }
            return 0;
        } catch (RuntimeException e) {
            out.println("cannot replay: " + (DatabaseErrors.isDatabaseFailure(e) ? DatabaseErrors.describe(e)
                    : e.getMessage()));
            return 1;
        }
    }

    /** The window of the command-line options (every organization: the CLI speaks for the whole database). */
    public static Window window(String since, Instant to, UUID agent, int limit, int samples) {
        Duration back = Durations.parse(since).filter(d -> !d.isNegative() && !d.isZero())
                .orElseThrow(() -> new dev.agentfactory.web.BadRequestException("--since",
                        "must be a duration such as 7d, 24h or P7D"));
        Instant end = to == null ? Instant.now() : to;
        return ImpactService.window(null, agent, end.minus(back), end, limit, samples);
    }

    /** Re-decides the window against {@code built}, with every organization's custom rules as stored. */
    public static ImpactReport.Result replay(HikariDataSource dataSource, BuiltBundle built, Window window) {
        Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
        DatabaseErrors.keepStatementsOutOfMessages(jdbi);
        CustomRuleRegistry customRules = new CustomRuleRegistry();
        new CustomRuleLoader(jdbi, customRules).refresh();
        Replayer replayer = new Replayer(jdbi, new ActionPipeline(LlmAdvisor.NONE, customRules));
        return replayer.run(new Candidate(built.version(), built.rules(), built.templates(), null, null), window)
                .result();
    }

    public static void print(ImpactReport.Result report, PrintStream out) {
        out.printf("replayed %d decisions from %s to %s against %s: %d flipped, %d unchanged, %d not replayed"
                        + "%s (%.0f decisions/s)%n", report.replayed(), report.from(), report.to(),
                report.bundleVersion(), report.flipped(), report.unchanged(), report.notReplayed(),
                report.limitReached() ? ", limit reached" : "", report.decisionsPerSecond());
        report.transitions().forEach((change, count) -> out.printf("  %-40s %d%n", change, count));
        out.println("by agent (flipped of replayed):");
        report.byAgent().forEach((id, c) -> out.printf("  %s  %d of %d%n", id, c.flipped(), c.replayed()));
        out.println("by action type (flipped of replayed):");
        report.byActionType().forEach((type, c) -> out.printf("  %-28s %d of %d%n", type, c.flipped(), c.replayed()));
        if (!report.samples().isEmpty()) {
            out.println("flipped decisions (first " + report.samples().size() + "):");
            for (ImpactReport.Flip flip : report.samples()) {
                out.printf("  %s agent %s %s at %s: %s -> %s; fired only before: %s; only now: %s%n",
                        flip.decisionId(), flip.agentId(), flip.actionType(), flip.createdAt(), flip.was(), flip.now(),
                        flip.onlyBefore(), flip.onlyNow());
            }
        }
        ImpactReport.AsRecorded recorded = report.replayedAsRecorded();
        out.printf("replayed as recorded, not re-decided: %d paused, %d LLM answers, %d refused constraints; "
                + "%d without a recorded LLM answer%n", recorded.paused(), recorded.llmAnswers(),
                recorded.refusedConstraints(), recorded.llmNotRecorded());
        report.failures().forEach(f -> out.println("  not replayed: " + f.decisionId() + " (agent " + f.agentId()
                + "): " + f.why()));
    }

}
