package dev.agentfactory.warmup;

import dev.agentfactory.App;
import dev.agentfactory.Config;
import dev.agentfactory.db.Database;
import dev.agentfactory.rules.FolderCopy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a server says it is ready, it rehearses: a throwaway copy of it (a second {@link App} in the same
 * JVM, on its own schema of the same database, on a loopback port) decides for a throwaway agent under load
 * for {@code AF_WARM_UP_SECONDS}. The copy runs the very classes the server runs (HTTP, JSON, tokens, the
 * policy bundle's compiled rules, which the two share, the durable insert with its audit entry), so the JVM
 * has compiled the decision path before the first real decision. When the server watches its rules folder,
 * the copy watches a copy of it, and a rule file saved there a few times makes the copy reload under its
 * traffic ({@link RehearsalReloads}), so a real reload under load does not run cold. Then the copy stops,
 * its schema is dropped and its folders deleted: nothing of the rehearsal stays in the server's data, its
 * audit trail or its rules folder.
 *
 * <p>The server answers meanwhile, slower; {@code /health} says it is not ready yet. A rehearsal that cannot
 * run (no right to create a schema, a rules folder the throwaway agent fails) is skipped with a warning: the
 * server is then ready, only cold.
 */
public final class Rehearsal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Rehearsal.class);
    private static final String PREFIX = "af_rehearsal_";
    private static final Pattern NAME = Pattern.compile(PREFIX + "(\\d+)_[0-9a-f]+");
    /** A schema left by a rehearsal that was killed is dropped by the next one, once it is surely not in use. */
    private static final Duration ABANDONED_AFTER = Duration.ofHours(1);
    /** How long the rehearsal waits for a rule reload still running when its time is up. */
    private static final Duration RELOAD_GRACE = Duration.ofSeconds(15);

    private enum State { OFF, REHEARSING, DONE, SKIPPED }

    private final Config config;
    private final Database.Login login;
    private volatile State state;
    private volatile String note = "";
    private volatile long decisions;
    private volatile int reloads;
    private volatile Thread thread;

    public Rehearsal(Config config, Database.Login login) {
        this.config = config;
        this.login = login;
        this.state = config.warmUp().isZero() ? State.OFF : State.REHEARSING;
    }

    /**
     * Starts the rehearsal in the background; {@code ready} runs once it is over (at once when it is off),
     * unless the server stops first.
     */
    public Rehearsal start(Runnable ready) {
        if (state == State.REHEARSING) {
            thread = new Thread(() -> {
                // the copy's own start-up lines ("listening", "ready") are marked as the rehearsal's
                org.slf4j.MDC.put("requestId", "rehearsal");
                if (run()) {
                    org.slf4j.MDC.remove("requestId");
                    ready.run();
                }
            }, "warm-up");
            thread.setDaemon(true);
            thread.start();
        } else {
            ready.run();
        }
        return this;
    }

    /** True once the rehearsal is over (or was never on): the server may say it is ready. */
    public boolean over() {
        return state != State.REHEARSING;
    }

    /** What {@code /health} shows. */
    public Map<String, Object> report() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("state", state.name());
        report.put("seconds", config.warmUp().toSeconds());
        report.put("decisions", decisions);
        report.put("ruleReloads", reloads);
        if (!note.isEmpty()) {
            report.put("note", note);
        }
        return report;
    }

    /** @return false when the server stopped during the rehearsal */
    private boolean run() {
        long started = System.nanoTime();
        String schema = PREFIX + Instant.now().getEpochSecond() + "_" + HexFormat.of().formatHex(random(4));
        Path dataDir = null;
        Path rulesCopy = null;
        boolean created = false;
        boolean dropped = false;
        try {
            dropAbandoned();
            execute("create schema " + schema);
            created = true;
            dataDir = Files.createTempDirectory("af-rehearsal");
            if (config.rulesWatch() && Files.isDirectory(config.rulesDir())) {
                rulesCopy = Files.createTempDirectory("af-rehearsal-rules").resolve("rules");
                FolderCopy.copy(config.rulesDir(), rulesCopy);
                Files.createDirectories(rulesCopy.resolve(RehearsalReloads.FILE).getParent());
            }
            log.info("warm-up: rehearsing decisions for {} s on a throwaway copy of this server (schema {})",
                    config.warmUp().toSeconds(), schema);
            String adminToken = "af_rehearsal-" + HexFormat.of().formatHex(random(24));
            try (App copy = App.create(copyConfig(schema, dataDir, rulesCopy, adminToken)).start()) {
                long deadline = System.nanoTime() + config.warmUp().toNanos();
                String base = "http://127.0.0.1:" + copy.port();
                Thread reloading = rulesCopy == null ? null : startReloads(rulesCopy, base, adminToken, deadline);
                try {
                    new RehearsalTraffic(base, adminToken).drive(config.warmUp(), count -> decisions = count);
                    if (reloading != null) {
                        // a reload begun before the deadline ends a little after it; a stuck one is not waited for
                        reloading.join(RELOAD_GRACE.toMillis());
                    }
                } finally {
                    if (reloading != null) {
                        reloading.interrupt();
                    }
                }
            }
        } catch (InterruptedException e) {
            note = "stopped with the server before it was over";
            state = State.SKIPPED;
            log.info("warm-up: {}", note);
            return false;
        } catch (Exception e) {
            skipped(e.getMessage() == null ? e.toString() : e.getMessage());
            return !Thread.currentThread().isInterrupted();
        } finally {
            if (created) {
                dropped = dropQuietly(schema);
            }
            deleteQuietly(dataDir);
            deleteQuietly(rulesCopy == null ? null : rulesCopy.getParent());
        }
        state = State.DONE;
        log.info("warm-up: {} decisions and {} rule reloads rehearsed in {} ms{}", decisions, reloads,
                (System.nanoTime() - started) / 1_000_000,
                dropped ? "; the copy's schema is dropped" : "");
        return true;
    }

    /**
     * Rule reloads in the copy beside its traffic, as a saved rule file is reloaded under load
     * ({@link RehearsalReloads}): only on a server that watches its rules folder, the one such a file changes.
     */
    private Thread startReloads(Path folder, String base, String adminToken, long deadline) {
        Thread reloading = new Thread(() -> {
            org.slf4j.MDC.put("requestId", "rehearsal");
            try {
                new RehearsalReloads(folder, base, adminToken).run(deadline, count -> reloads = count)
                        .ifPresent(why -> log.info("warm-up: rule reloads not rehearsed: {}", why));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                if (!Thread.currentThread().isInterrupted()) {
                    log.warn("warm-up: rehearsing rule reloads failed ({}); the first reload will run cold", e.toString());
                }
            }
        }, "warm-up-reloads");
        reloading.setDaemon(true);
        reloading.start();
        return reloading;
    }

    private void skipped(String why) {
        note = "not rehearsed (" + why + "): ready, but the first decisions run on code the JVM has not compiled yet";
        state = State.SKIPPED;
        log.warn("warm-up: {}", note);
    }

    /**
     * The copy: this server's settings on its own schema and data folder, on a loopback port, with no extras;
     * watching {@code rulesCopy} instead of the server's rules folder when there is one.
     */
    private Config copyConfig(String schema, Path dataDir, Path rulesCopy, String adminToken) {
        return (rulesCopy == null ? config : config.withRulesDir(rulesCopy)).withHost("127.0.0.1").withPort(0)
                .withDatabase(inSchema(login.url(), schema), login.user(), login.password())
                .withDataDir(dataDir)
                .withAdminToken(adminToken)
                .withAudit(new Config.Audit(Optional.of(HexFormat.of().formatHex(random(32))), Optional.empty()))
                .withLlm(Config.Llm.none())
                .withCallbackHosts(java.util.Set.of())
                .withMetricsToken(null)
                .withWarmUp(Duration.ZERO);
    }

    /** {@code url} with its current schema set to {@code schema} (replacing one it names). */
    static String inSchema(String url, String schema) {
        String bare = url.replaceAll("([?&])currentSchema=[^&]*&?", "$1").replaceAll("[?&]$", "");
        return bare + (bare.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Drops rehearsal schemas older than {@link #ABANDONED_AFTER}: their server was killed mid-rehearsal. */
    private void dropAbandoned() throws SQLException {
        List<String> abandoned = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "select nspname from pg_namespace where nspname like 'af\\_rehearsal\\_%'")) {
            while (rows.next()) {
                Matcher name = NAME.matcher(rows.getString(1));
                if (name.matches() && Instant.ofEpochSecond(Long.parseLong(name.group(1)))
                        .isBefore(Instant.now().minus(ABANDONED_AFTER))) {
                    abandoned.add(rows.getString(1));
                }
            }
        }
        for (String schema : abandoned) {
            log.info("warm-up: dropping {}, left by a rehearsal that did not finish", schema);
            dropQuietly(schema);
        }
    }

    private boolean dropQuietly(String schema) {
        try {
            execute("drop schema if exists " + schema + " cascade");
            return true;
        } catch (SQLException e) {
            log.warn("warm-up: could not drop schema {} ({}); the next rehearsal after an hour will", schema,
                    e.getMessage());
            return false;
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(login.url(), login.user(), login.password());
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.debug("could not delete {}", dir, e);
        }
    }

    private static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return value;
    }

    /** Stops a rehearsal still running; its copy stops and its schema is dropped before this returns. */
    @Override
    public void close() {
        Thread running = thread;
        if (running != null && running.isAlive()) {
            running.interrupt();
            try {
                running.join(Duration.ofSeconds(40).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
