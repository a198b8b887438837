package dev.agentfactory.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;

/**
 * The server as users run it: {@code java @jvm.options -jar target/agent-factory.jar} in its own process, on a
 * fresh database of the local PostgreSQL ({@code BENCH_DB_URL}, default 127.0.0.1:5432 as postgres).
 */
final class ServerProcess implements AutoCloseable {
    static final String TOKEN = "af_bench-admin-token";
    /** Every server sharing a database needs the same audit key. */
    private static final String AUDIT_KEY = "af-bench-audit-key-0123456789abcdef0123456789";

    private final Map<String, String> env;
    private final int port;
    private final boolean ownsDatabase;
    private Process process;

    private ServerProcess(Map<String, String> env, int port) {
        this(env, port, true);
    }

    private ServerProcess(Map<String, String> env, int port, boolean ownsDatabase) {
        this.env = env;
        this.port = port;
        this.ownsDatabase = ownsDatabase;
    }

    /** A new database named after the benchmark, and a server process on it. */
    static ServerProcess onFreshDatabase(String name) throws Exception {
        return onFreshDatabase(name, Path.of("rules"));
    }

    /** The same, watching {@code rules} (a copy the benchmark may edit). */
    static ServerProcess onFreshDatabase(String name, Path rules) throws Exception {
        int port = freePort();
        Path data = Files.createTempDirectory("af-bench");
        return new ServerProcess(Map.of("AF_DB_URL", freshDatabase(name), "AF_DB_USER", "postgres",
                "AF_PORT", String.valueOf(port), "AF_ADMIN_TOKEN", TOKEN, "AF_DATA_DIR", data.toString(),
                "AF_RULES_DIR", rules.toString(), "AF_AUDIT_KEY", AUDIT_KEY), port);
    }

    /** A second server on the same database (which the first one drops when it closes). */
    ServerProcess twin() throws Exception {
        int otherPort = freePort();
        Map<String, String> twinEnv = new java.util.HashMap<>(env);
        twinEnv.put("AF_PORT", String.valueOf(otherPort));
        twinEnv.put("AF_DATA_DIR", Files.createTempDirectory("af-bench-twin").toString());
        return new ServerProcess(Map.copyOf(twinEnv), otherPort, false);
    }

    /** A server process on its own embedded PostgreSQL (no AF_DB_URL), as the README's command runs it by default. */
    static ServerProcess onEmbeddedDatabase() throws Exception {
        return onEmbeddedDatabase(Path.of("rules"));
    }

    static ServerProcess onEmbeddedDatabase(Path rules) throws Exception {
        int port = freePort();
        Path data = Files.createTempDirectory("af-bench-embedded");
        return new ServerProcess(Map.of("AF_PORT", String.valueOf(port), "AF_ADMIN_TOKEN", TOKEN,
                "AF_DATA_DIR", data.toString(), "AF_RULES_DIR", rules.toString()), port);
    }

    /** A copy of the shipped rules folder the benchmark may edit. */
    static Path copyOfRules() throws IOException {
        Path copy = Files.createTempDirectory("af-bench-rules");
        dev.agentfactory.rules.FolderCopy.copy(Path.of("rules"), copy);
        return copy;
    }

    static String freshDatabase(String name) throws Exception {
        String base = System.getenv().getOrDefault("BENCH_DB_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String database = name + "_" + System.currentTimeMillis();
        try (Connection connection = DriverManager.getConnection(base, "postgres", "")) {
            connection.createStatement().execute("create database " + database);
        }
        return base.substring(0, base.lastIndexOf('/') + 1) + database;
    }

    /** Drops a database made by {@link #freshDatabase}: a benchmark leaves no database behind. */
    static void dropDatabase(String url) throws Exception {
        String base = System.getenv().getOrDefault("BENCH_DB_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        try (Connection connection = DriverManager.getConnection(base, "postgres", "")) {
            connection.createStatement().execute("drop database if exists "
                    + url.substring(url.lastIndexOf('/') + 1) + " with (force)");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Publishes and activates a rules folder with {@code java -jar … rules publish}, as a CI job would,
     * against this server's database; returns the bundle version it printed.
     */
    String publishRules(Path folder) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", "target/agent-factory.jar", "rules", "publish",
                folder.toString(), "--by", "bench", "--reason", "propagation benchmark").redirectErrorStream(true);
        builder.environment().putAll(env);
        Process cli = builder.start();
        String output = new String(cli.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (cli.waitFor() != 0) {
            throw new IllegalStateException("rules publish failed: " + output);
        }
        java.util.regex.Matcher version = java.util.regex.Pattern.compile("version ([0-9a-f]{32})").matcher(output);
        if (!version.find()) {
            throw new IllegalStateException("rules publish printed no version: " + output);
        }
        return version.group(1);
    }

    /** The JDBC URL of the server's database (external databases only). */
    String databaseUrl() {
        return env.get("AF_DB_URL");
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** The server's process id, once started. */
    long pid() {
        return process.pid();
    }

    /** Starts the process and returns the milliseconds until /health answered 200. */
    long start() throws Exception {
        // the JVM flags the README's command and the Dockerfile start the server with
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("java", "@jvm.options"));
        // e.g. BENCH_SERVER_JAVA_OPTS="-XX:StartFlightRecording=filename=target/server.jfr" to profile a run
        String options = System.getenv().getOrDefault("BENCH_SERVER_JAVA_OPTS", "").trim();
        if (!options.isEmpty()) {
            command.addAll(java.util.List.of(options.split("\\s+")));
        }
        command.addAll(java.util.List.of("-jar", "target/agent-factory.jar"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(new File(ownsDatabase ? "target/bench-server.log" : "target/bench-server-twin.log"));
        builder.environment().putAll(env);
        long started = System.nanoTime();
        process = builder.start();
        HttpClient client = HttpClient.newHttpClient();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited; see target/bench-server.log");
            }
            try {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base() + "/health"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return (System.nanoTime() - started) / 1_000_000;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20);
        }
    }

    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        if (ownsDatabase && databaseUrl() != null) {
            dropDatabase(databaseUrl());
        }
    }
}
