package dev.agentfactory.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A main class of this project in a JVM of its own, on the test class path, its output in a log
 * file: for tests that kill a server the way the OOM killer does.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static ChildJvm start(Class<?> mainClass, Map<String, String> env, String... args) {
        return start(mainClass, env, List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"), args);
    }

    /** @param jvmOptions the child's JVM options (heap, JIT) instead of the defaults */
    public static ChildJvm start(Class<?> mainClass, Map<String, String> env, List<String> jvmOptions,
                                 String... args) {
        Path log = TestServer.tempDir("af-child").resolve("output.log");
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("AF_"));
        // a warm-up only costs the tests time
        builder.environment().put("AF_RULES_WARM_UP_MS", "0");
        builder.environment().put("AF_WARM_UP_SECONDS", "0");
        builder.environment().put("AF_DB_POOL_SIZE", Integer.toString(TestServer.POOL_SIZE));
        builder.environment().putAll(env);
        try {
            return new ChildJvm(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the child printed so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL (what {@code destroyForcibly} sends on Linux): no shutdown hook runs. Returns the exit code. */
    public int kill() {
        process.destroyForcibly();
        return waitForExit();
    }

    /** SIGTERM: the child's shutdown hooks run. Returns the exit code. */
    public int stop() {
        process.destroy();
        return waitForExit();
    }

    /** The exit code, once the child has exited by itself within 60 s. */
    public int waitForExit() {
        return waitForExit(java.time.Duration.ofSeconds(60));
    }

    /** The exit code, once the child has exited by itself within {@code limit}. */
    public int waitForExit(java.time.Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("child JVM " + pid() + " did not exit; its output:\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            waitForExit();
        }
    }
}
