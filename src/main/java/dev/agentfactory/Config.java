package dev.agentfactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Every setting of the server. {@link Main} fills it from flags and {@code AF_*} environment
 * variables; tests build it directly.
 *
 * @param dbUrl JDBC URL of an external PostgreSQL; empty means "start the embedded one in dataDir"
 * @param adminToken the bootstrap admin's token; empty means "generate one on first start"
 * @param llm the OpenAI-compatible LLM that LLMDecision agents consult, if any
 * @param callbackHosts the hosts agents' callbackUrls may point at (none: no callbacks)
 * @param metricsToken the bearer token Prometheus scrapes /metrics with; empty: an ADMIN token is needed
 * @param dbAppRole the database role the server works as (SET ROLE), which may not update or delete
 *                  audit rows; empty: run as the configured (owner) user
 * @param audit the key the audit trail is sealed with
 * @param rulesWatch whether this server watches {@code rulesDir} and publishes it as the policy bundle;
 *                   false: it reads no folder and serves the bundle active in the database
 * @param warmUp how long the server rehearses decisions on a throwaway copy of itself before it says it is
 *               ready, so the JVM has compiled the decision path before the first real one; zero: no rehearsal
 */
public record Config(
        String host,
        int port,
        Path dataDir,
        Path rulesDir,
        Optional<String> dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        Optional<String> adminToken,
        Llm llm,
        Set<String> callbackHosts,
        Optional<String> metricsToken,
        Optional<String> dbAppRole,
        Audit audit,
        boolean rulesWatch,
        Duration rulesWarmUp,
        int shadowQueue,
        Duration warmUp) {

    public static final String DEFAULT_DB_APP_ROLE = "agent_factory_app";
    /** How long a new rule set is exercised by its own rule tests before it serves (see {@code BundleBuilder}). */
    public static final Duration DEFAULT_RULES_WARM_UP = Duration.ofSeconds(5);
    /** Live decisions waiting for their shadow evaluation; beyond it they are skipped and counted (issue 16). */
    public static final int DEFAULT_SHADOW_QUEUE = 10_000;
    /** How long a server rehearses decisions on a throwaway copy of itself before it is ready (see {@code Rehearsal}). */
    public static final Duration DEFAULT_WARM_UP = Duration.ofSeconds(30);

    /**
     * @param key the audit key ({@code AF_AUDIT_KEY}); empty: the key file in the data folder
     * @param newEpoch the fingerprint of the current key, to give it up and start a new key epoch
     */
    public record Audit(Optional<String> key, Optional<String> newEpoch) {
        public Audit {
            key = key.filter(s -> !s.isBlank());
            newEpoch = newEpoch.filter(s -> !s.isBlank());
        }

        public static Audit fromDataDir() {
            return new Audit(Optional.empty(), Optional.empty());
        }

        /** Never shows the key. */
        @Override
        public String toString() {
            return "Audit[key=" + (key.isPresent() ? "AF_AUDIT_KEY" : "key file") + ", newEpoch=" + newEpoch + "]";
        }
    }

    /** {@code url} empty: no LLM; LLMDecision agents then decide as RiskBased and say so. */
    public record Llm(Optional<String> url, String model, Optional<String> apiKey, java.time.Duration timeout) {
        public Llm {
            url = url.filter(s -> !s.isBlank());
            apiKey = apiKey.filter(s -> !s.isBlank());
        }

        public static Llm none() {
            return new Llm(Optional.empty(), "gpt-4o-mini", Optional.empty(), java.time.Duration.ofSeconds(2));
        }
    }

    public Config {
        callbackHosts = callbackHosts.stream().map(h -> h.trim().toLowerCase(java.util.Locale.ROOT))
                .filter(h -> !h.isEmpty()).collect(java.util.stream.Collectors.toUnmodifiableSet());
        dataDir = dataDir.toAbsolutePath().normalize();
        rulesDir = rulesDir.toAbsolutePath().normalize();
        dbUrl = dbUrl.filter(s -> !s.isBlank());
        adminToken = adminToken.filter(s -> !s.isBlank());
        metricsToken = metricsToken.filter(s -> !s.isBlank());
        dbAppRole = dbAppRole.map(String::trim).filter(s -> !s.isEmpty());
        if (dbAppRole.isPresent() && !dbAppRole.get().matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("AF_DB_APP_ROLE must be a lower-case SQL name (letters, digits, _), "
                    + "or empty to run as the database owner");
        }
        if (rulesWarmUp.isNegative() || rulesWarmUp.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("AF_RULES_WARM_UP_MS must be 0 to 60000, not " + rulesWarmUp.toMillis());
        }
        if (shadowQueue < 1 || shadowQueue > 1_000_000) {
            throw new IllegalArgumentException("AF_SHADOW_QUEUE must be 1 to 1000000, not " + shadowQueue);
        }
        if (warmUp.isNegative() || warmUp.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("AF_WARM_UP_SECONDS must be 0 to 300, not " + warmUp.toSeconds());
        }
    }

    public boolean embeddedDatabase() {
        return dbUrl.isEmpty();
    }

    /** Defaults for everything: what {@code java -jar agent-factory.jar} uses with no environment. */
    public static Config defaults() {
        return new Config("127.0.0.1", 8080, Path.of("data"), Path.of("rules"),
                Optional.empty(), "postgres", "", 16, Optional.empty(), Llm.none(), Set.of(), Optional.empty(),
                Optional.of(DEFAULT_DB_APP_ROLE), Audit.fromDataDir(), true, DEFAULT_RULES_WARM_UP, DEFAULT_SHADOW_QUEUE,
                DEFAULT_WARM_UP);
    }

    public Config withPort(int value) {
        return toBuilder().port(value).build();
    }

    public Config withDatabase(String url, String user, String password) {
        return toBuilder().database(Optional.ofNullable(url), user, password).build();
    }

    public Config withDataDir(Path dir) {
        return toBuilder().dataDir(dir).build();
    }

    public Config withRulesDir(Path dir) {
        return toBuilder().rulesDir(dir).build();
    }

    public Config withLlm(Llm value) {
        return toBuilder().llm(value).build();
    }

    public Config withCallbackHosts(Set<String> hosts) {
        return toBuilder().callbackHosts(hosts).build();
    }

    public Config withMetricsToken(String token) {
        return toBuilder().metricsToken(Optional.ofNullable(token)).build();
    }

    public Config withAdminToken(String token) {
        return toBuilder().adminToken(Optional.ofNullable(token)).build();
    }

    public Config withAudit(Audit value) {
        return toBuilder().audit(value).build();
    }

    public Config withDbAppRole(String role) {
        return toBuilder().dbAppRole(Optional.ofNullable(role)).build();
    }

    public Config withRulesWatch(boolean watch) {
        return toBuilder().rulesWatch(watch).build();
    }

    public Config withRulesWarmUp(Duration value) {
        return toBuilder().rulesWarmUp(value).build();
    }

    public Config withDbPoolSize(int value) {
        return toBuilder().dbPoolSize(value).build();
    }

    public Config withShadowQueue(int value) {
        return toBuilder().shadowQueue(value).build();
    }

    public Config withWarmUp(Duration value) {
        return toBuilder().warmUp(value).build();
    }

    public Config withHost(String value) {
        return toBuilder().host(value).build();
    }

    private Builder toBuilder() {
        return new Builder(this);
    }

    /** A copy of a config with some settings changed (tests and main build configs this way). */
    private static final class Builder {
        private String host;
        private int port;
        private Path dataDir;
        private Path rulesDir;
        private Optional<String> dbUrl;
        private String dbUser;
        private String dbPassword;
        private int dbPoolSize;
        private Optional<String> adminToken;
        private Llm llm;
        private Set<String> callbackHosts;
        private Optional<String> metricsToken;
        private Optional<String> dbAppRole;
        private Audit audit;
        private boolean rulesWatch;
        private Duration rulesWarmUp;
        private int shadowQueue;
        private Duration warmUp;

        Builder(Config c) {
            host = c.host;
            port = c.port;
            dataDir = c.dataDir;
            rulesDir = c.rulesDir;
            dbUrl = c.dbUrl;
            dbUser = c.dbUser;
            dbPassword = c.dbPassword;
            dbPoolSize = c.dbPoolSize;
            adminToken = c.adminToken;
            llm = c.llm;
            callbackHosts = c.callbackHosts;
            metricsToken = c.metricsToken;
            dbAppRole = c.dbAppRole;
            audit = c.audit;
            rulesWatch = c.rulesWatch;
            rulesWarmUp = c.rulesWarmUp;
            shadowQueue = c.shadowQueue;
            warmUp = c.warmUp;
        }

        Builder host(String value) {
            host = value;
            return this;
        }

        Builder port(int value) {
            port = value;
            return this;
        }

        Builder database(Optional<String> url, String user, String password) {
            dbUrl = url;
            dbUser = user;
            dbPassword = password;
            return this;
        }

        Builder dataDir(Path value) {
            dataDir = value;
            return this;
        }

        Builder rulesDir(Path value) {
            rulesDir = value;
            return this;
        }

        Builder llm(Llm value) {
            llm = value;
            return this;
        }

        Builder callbackHosts(Set<String> value) {
            callbackHosts = value;
            return this;
        }

        Builder metricsToken(Optional<String> value) {
            metricsToken = value;
            return this;
        }

        Builder adminToken(Optional<String> value) {
            adminToken = value;
            return this;
        }

        Builder dbAppRole(Optional<String> value) {
            dbAppRole = value;
            return this;
        }

        Builder audit(Audit value) {
            audit = value;
            return this;
        }

        Builder rulesWatch(boolean value) {
            rulesWatch = value;
            return this;
        }

        Builder rulesWarmUp(Duration value) {
            rulesWarmUp = value;
            return this;
        }

        Builder dbPoolSize(int value) {
            dbPoolSize = value;
            return this;
        }

        Builder shadowQueue(int value) {
            shadowQueue = value;
            return this;
        }

        Builder warmUp(Duration value) {
            warmUp = value;
            return this;
        }

        Config build() {
            return new Config(host, port, dataDir, rulesDir, dbUrl, dbUser, dbPassword, dbPoolSize, adminToken, llm,
                    callbackHosts, metricsToken, dbAppRole, audit, rulesWatch, rulesWarmUp, shadowQueue, warmUp);
        }
    }
}
