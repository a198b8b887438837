package dev.agentfactory.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The PostgreSQL processes running on a data folder, as /proc shows them (Linux). */
public final class PostgresProcesses {
    private PostgresProcesses() {
    }

    /** The postmaster and every backend whose working directory is {@code pgData}. */
    public static List<ProcessHandle> on(Path pgData) {
        Path folder = realPath(pgData);
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                    .filter(p -> folder.equals(cwd(p)))
                    .toList();
        }
    }

    /** The postmaster's pid as {@code postmaster.pid} names it. */
    public static long pidInPidFile(Path pgData) {
        try {
            return Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Test clean-up: SIGKILL what the test's own servers left running on the folder, by pid. */
    public static void kill(Path pgData) {
        on(pgData).forEach(ProcessHandle::destroyForcibly);
    }

    private static Path cwd(ProcessHandle process) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd"));
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static Path realPath(Path folder) {
        try {
            return folder.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
