package dev.agentfactory;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import dev.agentfactory.cli.DecideCommand;
import dev.agentfactory.cli.ValidateCommand;
import dev.agentfactory.rules.RulesCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar agent-factory.jar [options]} runs the server. Every option also reads an
 * {@code AF_*} environment variable; a flag wins over the variable.
 */
@Command(name = "agent-factory", mixinStandardHelpOptions = true, version = "Agent Factory 0.1.0",
        sortOptions = false, subcommands = {RulesCommand.class, ValidateCommand.class, DecideCommand.class},
        description = "Governance server for AI agents: stores, validates and hot-deploys agent blueprints "
                + "and decides on every action an agent proposes.",
        footer = {"", "With no AF_DB_URL an embedded PostgreSQL 15 runs in <AF_DATA_DIR>/postgres.",
                "AF_LOG_FORMAT=json writes the log as one JSON object per line (default: text).",
                "The admin token is AF_ADMIN_TOKEN, or generated on first start into <AF_DATA_DIR>/admin-token.",
                "The audit key is AF_AUDIT_KEY, or generated on first start into <AF_DATA_DIR>/audit-key."})
public final class Main implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "${env:AF_HOST:-127.0.0.1}", paramLabel = "ADDR",
            description = "Address to listen on (AF_HOST). Default: ${DEFAULT-VALUE}")
    String host;

    @Option(names = "--port", defaultValue = "${env:AF_PORT:-8080}", paramLabel = "PORT",
            description = "HTTP port (AF_PORT). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--data-dir", defaultValue = "${env:AF_DATA_DIR:-./data}", paramLabel = "DIR",
            description = "Embedded database and admin-token file (AF_DATA_DIR). Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--rules-dir", defaultValue = "${env:AF_RULES_DIR:-./rules}", paramLabel = "DIR",
            description = "Governance rules, watched and hot-reloaded (AF_RULES_DIR). Default: ${DEFAULT-VALUE}")
    Path rulesDir;

    @Option(names = "--rules-watch", arity = "1", defaultValue = "${env:AF_RULES_WATCH:-true}", paramLabel = "true|false",
            description = "Watch --rules-dir and publish it as the policy bundle of every server sharing the database "
                    + "(AF_RULES_WATCH). false: read no folder, serve the bundle active in the database (published with "
                    + "'rules publish'). Default: ${DEFAULT-VALUE}")
    boolean rulesWatch;

    @Option(names = "--rules-warm-up-ms", defaultValue = "${env:AF_RULES_WARM_UP_MS:-5000}", paramLabel = "MS",
            description = "How long, at most, the first rule set runs its action test cases, over and over (1,000 "
                    + "rounds at most), before the server is ready, so the JVM has compiled it before the first decision "
                    + "(AF_RULES_WARM_UP_MS); a later reload is not warmed. 0: serve it as soon as its "
                    + "tests pass. Default: ${DEFAULT-VALUE}")
    long rulesWarmUpMs;

    @Option(names = "--warm-up-seconds", defaultValue = "${env:AF_WARM_UP_SECONDS:-30}", paramLabel = "S",
            description = "How long the server rehearses decisions before it says it is ready: a throwaway copy of "
                    + "it (its own schema in the same database, dropped afterwards, on a loopback port) decides for a "
                    + "throwaway agent under load, so the JVM has compiled the whole decision path before the first "
                    + "real one. The API answers meanwhile; /health says not ready (AF_WARM_UP_SECONDS). 0: no "
                    + "rehearsal. Default: ${DEFAULT-VALUE}")
    long warmUpSeconds;

    @Option(names = "--shadow-queue", defaultValue = "${env:AF_SHADOW_QUEUE:-10000}", paramLabel = "N",
            description = "Live decisions waiting for their shadow evaluation (shadow mode); when it is full, "
                    + "evaluations are skipped and counted in the shadow report (AF_SHADOW_QUEUE). Default: ${DEFAULT-VALUE}")
    int shadowQueue;

    @Option(names = "--db-url", defaultValue = "${env:AF_DB_URL}", paramLabel = "JDBC_URL",
            description = "External PostgreSQL, e.g. jdbc:postgresql://db:5432/agentfactory (AF_DB_URL). "
                    + "Default: none, run the embedded database")
    String dbUrl;

    @Option(names = "--db-user", defaultValue = "${env:AF_DB_USER:-postgres}", paramLabel = "USER",
            description = "Database user (AF_DB_USER). Default: ${DEFAULT-VALUE}")
    String dbUser;

    @Option(names = "--db-password", defaultValue = "${env:AF_DB_PASSWORD:-}", paramLabel = "PASSWORD",
            description = "Database password (AF_DB_PASSWORD). Default: empty")
    String dbPassword;

    @Option(names = "--db-pool-size", defaultValue = "${env:AF_DB_POOL_SIZE:-16}", paramLabel = "N",
            description = "Database connections (AF_DB_POOL_SIZE). Default: ${DEFAULT-VALUE}")
    int dbPoolSize;

    @Option(names = "--db-app-role", defaultValue = "${env:AF_DB_APP_ROLE:-" + Config.DEFAULT_DB_APP_ROLE + "}",
            paramLabel = "ROLE", description = "Database role the server works as: it may not update or delete audit "
                    + "rows; created and granted at start by the database user (AF_DB_APP_ROLE). Empty: work as the "
                    + "database user. Default: ${DEFAULT-VALUE}")
    String dbAppRole;

    @Option(names = "--admin-token", defaultValue = "${env:AF_ADMIN_TOKEN}", paramLabel = "TOKEN",
            description = "Token of the bootstrap ADMIN principal 'admin' (AF_ADMIN_TOKEN). "
                    + "Default: generated on first start")
    String adminToken;

    @Option(names = "--llm-url", defaultValue = "${env:AF_LLM_URL}", paramLabel = "URL",
            description = "OpenAI-compatible API base URL (or its /chat/completions) that LLMDecision agents consult "
                    + "(AF_LLM_URL). Default: none, LLMDecision falls back to RiskBased and says so")
    String llmUrl;

    @Option(names = "--llm-model", defaultValue = "${env:AF_LLM_MODEL:-gpt-4o-mini}", paramLabel = "MODEL",
            description = "Model name sent to the LLM (AF_LLM_MODEL). Default: ${DEFAULT-VALUE}")
    String llmModel;

    @Option(names = "--llm-api-key", defaultValue = "${env:AF_LLM_API_KEY}", paramLabel = "KEY",
            description = "Bearer key for the LLM (AF_LLM_API_KEY). Default: none")
    String llmApiKey;

    @Option(names = "--llm-timeout-ms", defaultValue = "${env:AF_LLM_TIMEOUT_MS:-2000}", paramLabel = "MS",
            description = "How long a decision waits for the LLM before falling back (AF_LLM_TIMEOUT_MS). "
                    + "Default: ${DEFAULT-VALUE}")
    long llmTimeoutMs;

    @Option(names = "--callback-hosts", defaultValue = "${env:AF_CALLBACK_HOSTS:-}", paramLabel = "HOSTS",
            description = "Comma-separated hosts that blueprints' callbackUrl may point at (AF_CALLBACK_HOSTS). "
                    + "Default: none, no callbacks")
    String callbackHosts;

    @Option(names = "--metrics-token", defaultValue = "${env:AF_METRICS_TOKEN}", paramLabel = "TOKEN",
            description = "Bearer token for GET /metrics (AF_METRICS_TOKEN). Default: none, an ADMIN token is needed")
    String metricsToken;

    @Option(names = "--audit-key", defaultValue = "${env:AF_AUDIT_KEY}", paramLabel = "KEY",
            description = "Secret the audit trail is keyed with, at least 32 characters; the database never holds it "
                    + "(AF_AUDIT_KEY). Default: generated on first start into <AF_DATA_DIR>/audit-key")
    String auditKey;

    @Option(names = "--audit-new-epoch", defaultValue = "${env:AF_AUDIT_NEW_EPOCH}", paramLabel = "FINGERPRINT",
            description = "The fingerprint of a lost audit key, to start a new key epoch without it "
                    + "(AF_AUDIT_NEW_EPOCH). Default: none")
    String auditNewEpoch;

    public static void main(String[] args) {
        // Chosen before the first logger exists: AF_LOG_FORMAT=json logs one JSON object per line.
        if ("json".equalsIgnoreCase(System.getenv("AF_LOG_FORMAT"))) {
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line as main runs it. "rules" is a folder name as well as a subcommand. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setAllowSubcommandsAsOptionParameters(true)
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    // One line for the operator (port in use, database unreachable); the trace at debug.
                    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Main.class);
                    log.error("Agent Factory could not start: {}", e.getMessage());
                    log.debug("start-up failure", e);
                    return 1;
                });
    }

    public Config config() {
        return new Config(host, port, dataDir, rulesDir, Optional.ofNullable(dbUrl), dbUser, dbPassword, dbPoolSize,
                Optional.ofNullable(adminToken), new Config.Llm(Optional.ofNullable(llmUrl), llmModel,
                Optional.ofNullable(llmApiKey), java.time.Duration.ofMillis(llmTimeoutMs)),
                new java.util.HashSet<>(java.util.Arrays.asList(callbackHosts.split(","))),
                Optional.ofNullable(metricsToken), Optional.ofNullable(dbAppRole),
                new Config.Audit(Optional.ofNullable(auditKey), Optional.ofNullable(auditNewEpoch)), rulesWatch,
                java.time.Duration.ofMillis(rulesWarmUpMs), shadowQueue,
                java.time.Duration.ofSeconds(warmUpSeconds));
    }

    /**
     * Runs the server until SIGTERM. The shutdown hook is in place before start-up, so a SIGTERM
     * that arrives while the server is still starting waits for it to finish and then closes it.
     */
    @Override
    public Integer call() throws InterruptedException {
        CompletableFuture<App> started = new CompletableFuture<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.thenAccept(App::close).exceptionally(failedStart -> null).join();
            stopped.countDown();
        }, "shutdown"));
        try {
            started.complete(App.create(config()).start());
        } catch (RuntimeException e) {
            started.completeExceptionally(e);
            throw e;
        }
        stopped.await();
        return 0;
    }
}
