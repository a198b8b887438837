package dev.agentfactory;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Every setting of the server. {@link Main} fills it from flags and {@code AF_*} environment
 * variables; tests build it directly.
 *
 * @param dbUrl JDBC URL of an external PostgreSQL; empty means "start the embedded one in dataDir"
 * @param adminToken the bootstrap admin's token; empty means "generate one on first start"
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
        Optional<String> adminToken) {

    public Config {
        dataDir = dataDir.toAbsolutePath().normalize();
        rulesDir = rulesDir.toAbsolutePath().normalize();
        dbUrl = dbUrl.filter(s -> !s.isBlank());
        adminToken = adminToken.filter(s -> !s.isBlank());
    }

    public boolean embeddedDatabase() {
        return dbUrl.isEmpty();
    }

    /** Defaults for everything: what {@code java -jar agent-factory.jar} uses with no environment. */
    public static Config defaults() {
        return new Config("127.0.0.1", 8080, Path.of("data"), Path.of("rules"),
                Optional.empty(), "postgres", "", 16, Optional.empty());
    }

    public Config withPort(int newPort) {
        return new Config(host, newPort, dataDir, rulesDir, dbUrl, dbUser, dbPassword, dbPoolSize, adminToken);
    }

    public Config withDatabase(String url, String user, String password) {
        return new Config(host, port, dataDir, rulesDir, Optional.ofNullable(url), user, password, dbPoolSize, adminToken);
    }

    public Config withDataDir(Path dir) {
        return new Config(host, port, dir, rulesDir, dbUrl, dbUser, dbPassword, dbPoolSize, adminToken);
    }

    public Config withRulesDir(Path dir) {
        return new Config(host, port, dataDir, dir, dbUrl, dbUser, dbPassword, dbPoolSize, adminToken);
    }

    public Config withAdminToken(String token) {
        return new Config(host, port, dataDir, rulesDir, dbUrl, dbUser, dbPassword, dbPoolSize, Optional.ofNullable(token));
    }
}
