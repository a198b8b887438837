package dev.agentfactory;

import java.nio.file.Path;
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
        Optional<String> metricsToken) {

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
    }

    public boolean embeddedDatabase() {
        return dbUrl.isEmpty();
    }

    /** Defaults for everything: what {@code java -jar agent-factory.jar} uses with no environment. */
    public static Config defaults() {
        return new Config("127.0.0.1", 8080, Path.of("data"), Path.of("rules"),
                Optional.empty(), "postgres", "", 16, Optional.empty(), Llm.none(), Set.of(), Optional.empty());
    }

    public Config withPort(int newPort) {
        return new Config(host, newPort, dataDir, rulesDir, dbUrl, dbUser, dbPassword, dbPoolSize, adminToken, llm, callbackHosts, metricsToken);
    }

    public Config withDatabase(String url, String user, String password) {
        return new Config(host, port, dataDir, rulesDir, Optional.ofNullable(url), user, password, dbPoolSize, adminToken, llm, callbackHosts, metricsToken);
    }

    public Config withDataDir(Path dir) {
        return new Config(host, port, dir, rulesDir, dbUrl, dbUser, dbPassword, dbPoolSize, adminToken, llm, callbackHosts, metricsToken);
    }

    public Config withRulesDir(Path dir) {
        return new Config(host, port, dataDir, dir, dbUrl, dbUser, dbPassword, dbPoolSize, adminToken, llm, callbackHosts, metricsToken);
    }

    public Config withLlm(Llm value) {
        return new Config(host, port, dataDir, rulesDir, dbUrl, dbUser, dbPassword, dbPoolSize, adminToken, value, callbackHosts, metricsToken);
    }

    public Config withCallbackHosts(Set<String> hosts) {
        return new Config(host, port, dataDir, rulesDir, dbUrl, dbUser, dbPassword, dbPoolSize, adminToken, llm, hosts, metricsToken);
    }

    public Config withMetricsToken(String token) {
        return new Config(host, port, dataDir, rulesDir, dbUrl, dbUser, dbPassword, dbPoolSize, adminToken, llm,
                callbackHosts, Optional.ofNullable(token));
    }

    public Config withAdminToken(String token) {
        return new Config(host, port, dataDir, rulesDir, dbUrl, dbUser, dbPassword, dbPoolSize, Optional.ofNullable(token), llm, callbackHosts, metricsToken);
    }
}
