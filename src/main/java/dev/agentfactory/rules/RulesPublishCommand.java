package dev.agentfactory.rules;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentfactory.replay.ImpactReport;
import dev.agentfactory.replay.RulesImpactCommand;
import dev.agentfactory.replay.Window;
import dev.agentfactory.Config;
import dev.agentfactory.audit.AuditKey;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.db.DatabaseErrors;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code agent-factory rules publish DIR}: builds the folder as a server would (checks, compiles,
 * runs every rule test against its own templates) and, only if it passes, stores it and activates
 * it in the servers' database, in one transaction with its audit entries and the change every
 * running server applies. Needs no running server; does not migrate the database.
 */
@Command(name = "publish", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Check and test the rules in DIR, then publish them to the servers' database as a policy "
                + "bundle and activate it on every server. Prints the version (exit 0), or the errors as "
                + "file:line: message and stores nothing (exit 1).")
public final class RulesPublishCommand implements Callable<Integer> {
    /** A person's name, as tokens name principals. */
    private static final Pattern BY = Pattern.compile("[A-Za-z0-9._@+-]{1,100}");

    @Parameters(arity = "0..1", defaultValue = "${env:AF_RULES_DIR:-./rules}", paramLabel = "DIR",
            description = "The rules folder. Default: ${DEFAULT-VALUE}")
    Path dir;

    @Option(names = "--reason", defaultValue = "published with agent-factory rules publish", paramLabel = "TEXT",
            description = "Why, as the activation records it (e.g. the commit). Default: ${DEFAULT-VALUE}")
    String reason;

    @Option(names = "--by", defaultValue = "${sys:user.name}", paramLabel = "NAME",
            description = "Who publishes; recorded as cli:NAME. Default: the operating system user")
    String by;

    @Option(names = "--max-flips", paramLabel = "N",
            description = "A gate: first replay the stored decisions of --since against the rules (as 'rules impact' "
                    + "does) and refuse to publish when more than N flip, naming them. Default: no gate")
    Long maxFlips;

    @Option(names = "--since", defaultValue = "7d", paramLabel = "DURATION",
            description = "The window the gate replays (e.g. 7d, 24h). Default: ${DEFAULT-VALUE}")
    String since;

    @Option(names = "--force", description = "Publish even when the gate counts more than --max-flips flips")
    boolean force;

    @Option(names = "--candidate", description = "Store the bundle without activating it: replay it (POST "
            + "/api/impact), run it in shadow (POST /api/shadows), then promote the shadow or activate it "
            + "(POST /api/rules/bundles/{version}/activate)")
    boolean candidate;

    @Mixin
    RulesCommand.DatabaseOptions database;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (database.url == null || database.url.isBlank()) {
            out.println("no database: set AF_DB_URL or --db-url to the servers' PostgreSQL");
            return 1;
        }
        if (by == null || !BY.matcher(by).matches()) {
            out.println("--by must be 1-100 letters, digits and . _ @ + -");
            return 1;
        }
        if (reason.isBlank() || reason.length() > 1000 || reason.indexOf('\u0000') >= 0) {
            out.println("--reason must be 1-1000 characters of text");
            return 1;
        }
        Bundle bundle = Bundle.read(dir);
        BundleBuilder.Result result = new BundleBuilder().build(bundle);
        if (result instanceof BundleBuilder.Refused refused) {
            RulesCommand.printRefusal(refused.refusal(), out);
            out.println("nothing was published");
            return 1;
        }
        BuiltBundle built = ((BundleBuilder.Built) result).bundle();
        out.println("OK " + built.rules().rules().size() + " rules, " + built.files().size() + " files, "
                + built.tests().cases() + " rule test cases passed, version " + built.version());
        try (HikariDataSource dataSource = connect()) {
            Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
            DatabaseErrors.keepStatementsOutOfMessages(jdbi);
            Optional<String> notReady = notReady(jdbi);
            if (notReady.isPresent()) {
                out.println("cannot publish: " + notReady.get());
                return 1;
            }
            if (maxFlips != null && !gate(dataSource, built, out)) {
                out.println("nothing was published");
                return 1;
            }
            AuditKey key = AuditKey.open(new Config.Audit(Optional.ofNullable(database.auditKey), Optional.empty()),
                    database.dataDir.toAbsolutePath().normalize(), jdbi);
            String source = "cli on " + BundlePublisher.hostName() + ":" + dir.toAbsolutePath().normalize();
            BundleStore.Outcome outcome = new BundleStore(jdbi, new AuditLog(jdbi, key)).publish(bundle, built, source,
                    new BundleStore.Origin("cli:" + by, null, "rules publish"), reason.strip(), !candidate);
            if (candidate) {
                out.println((outcome.published() ? "stored the candidate " : "the candidate is stored already: ")
                        + built.version() + ", not active (active: " + outcome.previous() + "); shadow it with "
                        + "POST /api/shadows {\"bundleVersion\": \"" + built.version() + "\"}");
                return 0;
            }
            out.println(outcome.activation() == null ? "version " + built.version() + " is active already; nothing changed"
                    : (outcome.published() ? "published and activated " : "activated the stored ") + built.version()
                    + (outcome.previous() == null ? "" : " (was " + outcome.previous() + ")"));
            return 0;
        } catch (IllegalStateException e) {
            out.println("cannot publish: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            out.println("cannot publish: " + (DatabaseErrors.isDatabaseFailure(e) ? DatabaseErrors.describe(e)
                    : e.getMessage()));
            return 1;
        }
    }

    /** Whether the gate lets the bundle through: at most --max-flips stored decisions flip, or --force. */
    private boolean gate(HikariDataSource dataSource, BuiltBundle built, PrintStream out) {
        ImpactReport.Result impact = RulesImpactCommand.replay(dataSource, built,
                RulesImpactCommand.window(since, null, null, Window.MAX_LIMIT, Window.MAX_SAMPLES));
        RulesImpactCommand.print(impact, out);
        if (impact.flipped() <= maxFlips) {
            return true;
        }
        out.println(impact.flipped() + " stored decisions would flip, more than --max-flips " + maxFlips
                + (force ? "; --force: publishing anyway" : "; refused (--force publishes anyway)"));
        return force;
    }

    /** Why this database cannot take a bundle yet, if it cannot. The CLI never migrates: servers do. */
    private static Optional<String> notReady(Jdbi jdbi) {
        return jdbi.withHandle(handle -> {
            boolean tables = handle.createQuery("select to_regclass('policy_bundles') is not null")
                    .mapTo(Boolean.class).one();
            if (!tables) {
                return Optional.of("the database has no policy bundle tables yet: start an Agent Factory server of "
                        + "this version on it once (servers apply the migrations)");
            }
            boolean keyed = handle.createQuery("select exists (select 1 from audit_keys)").mapTo(Boolean.class).one();
            return keyed ? Optional.empty() : Optional.of("no server has started on this database yet (its audit "
                    + "trail has no key): start one first");
        });
    }

    private HikariDataSource connect() {
        return connect(database);
    }

    /** A small pool on the servers' database, as the servers' role; an IllegalStateException says why not. */
    public static HikariDataSource connect(RulesCommand.DatabaseOptions database) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(database.url);
        hikari.setUsername(database.user);
        hikari.setPassword(database.password);
        hikari.setMaximumPoolSize(2);
        hikari.setPoolName("agent-factory-cli");
        hikari.setConnectionTimeout(10_000);
        // one attempt: a CI job retries the whole command
        hikari.setInitializationFailTimeout(1);
        String role = database.appRole == null ? "" : database.appRole.trim();
        if (!role.isEmpty()) {
            if (!role.matches("[a-z_][a-z0-9_]{0,62}")) {
                throw new IllegalArgumentException("AF_DB_APP_ROLE must be a lower-case SQL name (letters, digits, _)");
            }
            hikari.setConnectionInitSql("set role \"" + role + "\"");
        }
        try {
            return new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            // the URL without its parameters, which may hold a password
            throw new IllegalStateException("cannot connect to PostgreSQL at " + database.url.replaceAll("\\?.*", "")
                    + " as " + database.user
                    + (role.isEmpty() ? "" : " (role " + role + ")") + ": " + firstLine(e), e);
        }
    }

    static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        return message.lines().findFirst().orElse(message);
    }
}
