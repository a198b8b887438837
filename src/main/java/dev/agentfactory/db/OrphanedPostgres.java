package dev.agentfactory.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes way for our PostgreSQL after a previous server process on the folder died without
 * stopping it (kill -9, the OOM killer) and left {@code postmaster.pid} behind. Runs while the
 * folder's {@link DataFolderLock} is held, so no live server uses the folder. What the pid file
 * names decides what happens:
 * <ul>
 * <li>a PostgreSQL running on this folder as our user: the orphan. It gets a fast shutdown and is
 *     killed only if it does not stop in time;</li>
 * <li>a PostgreSQL running on this folder as another user: start-up is refused, nothing touched;</li>
 * <li>any other live process (the pid was reused): left alone; the stale pid file is removed,
 *     or PostgreSQL would take that process for a postmaster and refuse to start;</li>
 * <li>no live process: nothing to do, PostgreSQL replaces a stale pid file itself;</li>
 * <li>no pid at all (an empty or garbled file): removed, PostgreSQL refuses to start on it.</li>
 * </ul>
 * Removing a pid file never lets two postmasters share a folder: PostgreSQL also refuses to start
 * while the folder's shared memory is attached to a live process.
 */
final class OrphanedPostgres {
    static final String PID_FILE = "postmaster.pid";

    private static final Logger log = LoggerFactory.getLogger(OrphanedPostgres.class);
    private static final Duration FAST_SHUTDOWN_DEADLINE = Duration.ofSeconds(30);
    private static final Duration KILL_DEADLINE = Duration.ofSeconds(10);

    private OrphanedPostgres() {
    }

    static void clear(Path pgData) {
        Path folder = realPath(pgData);
        Path pidFile = folder.resolve(PID_FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pidFile, e);
        }
        OptionalLong pid = pidOf(lines);
        if (pid.isEmpty()) {
            delete(pidFile);
            log.warn("removed {}: it named no process (a crash while it was being written)", pidFile);
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.getAsLong()).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            log.info("{} names pid {}, which no longer runs: PostgreSQL replaces the stale file", pidFile,
                    pid.getAsLong());
            return;
        }
        ProcessHandle postmaster = process.get();
        if (!isPostgresIn(postmaster, folder)) {
            delete(pidFile);
            log.warn("removed stale {}: pid {} is now {}, not a PostgreSQL on this folder, and was left alone",
                    pidFile, postmaster.pid(), postmaster.info().command()
                    .orElse("a process whose program cannot be read"));
            return;
        }
        Optional<String> owner = postmaster.info().user();
        if (owner.isEmpty() || !owner.equals(ProcessHandle.current().info().user())) {
            throw new IllegalStateException("a PostgreSQL of user " + owner.orElse("(unknown)") + " (pid "
                    + postmaster.pid() + ") runs on " + folder + ": stop it, or give this server another data folder");
        }
        stop(postmaster, folder);
    }

    /**
     * A PostgreSQL whose working directory is the folder: the postmaster changes into its data
     * directory at start. (The pid file's own data-directory line would name our folder even when
     * the pid now belongs to someone else's PostgreSQL.)
     */
    private static boolean isPostgresIn(ProcessHandle process, Path folder) {
        boolean postgres = process.info().command()
                .map(command -> Path.of(command).getFileName().toString().equals("postgres"))
                .orElse(false);
        if (!postgres) {
            return false;
        }
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")).equals(folder);
        } catch (IOException | UnsupportedOperationException e) {
            // Not ours to look into (another user's process, or no /proc): not ours to stop either.
            return false;
        }
    }

    private static void stop(ProcessHandle postmaster, Path folder) {
        long started = System.nanoTime();
        signalFastShutdown(postmaster);
        if (awaitExit(List.of(postmaster), FAST_SHUTDOWN_DEADLINE)) {
            log.warn("found PostgreSQL (pid {}) still running on {}, left by a server process that died without "
                    + "stopping it: stopped it with a fast shutdown in {} ms", postmaster.pid(), folder,
                    (System.nanoTime() - started) / 1_000_000);
            return;
        }
        // Its backends too: a postmaster killed alone leaves them holding the folder's shared memory.
        List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
        all.add(postmaster);
        all.forEach(ProcessHandle::destroyForcibly);
        if (!awaitExit(all, KILL_DEADLINE)) {
            throw new IllegalStateException("could not stop the PostgreSQL (pid " + postmaster.pid()
                    + ") left running on " + folder + "; stop it by hand");
        }
        log.warn("found PostgreSQL (pid {}) still running on {}, left by a server process that died without "
                + "stopping it: it ignored a fast shutdown for {} s and was killed; it recovers from its "
                + "write-ahead log on start", postmaster.pid(), folder, FAST_SHUTDOWN_DEADLINE.toSeconds());
    }

    /**
     * SIGINT, PostgreSQL's fast shutdown: it ends client sessions and stops cleanly. Java sends
     * only SIGTERM, PostgreSQL's smart shutdown, which waits for every session to end (an
     * operator's psql, say). The shell's own kill is used because /bin/kill is not in every image.
     */
    private static void signalFastShutdown(ProcessHandle postmaster) {
        try {
            Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -s INT \"$1\"", "sh",
                    Long.toString(postmaster.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0) {
                return;
            }
            kill.destroyForcibly();
        } catch (IOException e) {
            log.debug("cannot run /bin/sh to send SIGINT", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        postmaster.destroy();
    }

    private static boolean awaitExit(List<ProcessHandle> processes, Duration deadline) {
        CompletableFuture<?> exited = CompletableFuture.allOf(processes.stream()
                .map(ProcessHandle::onExit).toArray(CompletableFuture[]::new));
        try {
            exited.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static OptionalLong pidOf(List<String> lines) {
        if (lines.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long pid = Long.parseLong(lines.get(0).trim());
            return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }

    private static Path realPath(Path folder) {
        try {
            return folder.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + folder, e);
        }
    }
}
