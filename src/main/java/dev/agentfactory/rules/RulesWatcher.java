package dev.agentfactory.rules;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the rules folder and its sub-folders. A change schedules a reload after a short quiet
 * period, so a burst of saves (an editor writing several files) gives one reload; the reload runs
 * on its own thread, never on a request.
 */
public final class RulesWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RulesWatcher.class);
    static final Duration QUIET_PERIOD = Duration.ofMillis(150);

    private final Path dir;
    private final Runnable onChange;
    private final WatchService watchService;
    private final ScheduledExecutorService scheduler;
    private final Thread watchThread;
    private ScheduledFuture<?> pending;
    /** What changed since the last reload, file (relative to the folder) to what happened last to it. */
    private final Map<String, String> changed = new TreeMap<>();

    public RulesWatcher(Path dir, Runnable onChange) {
        this.dir = dir;
        this.onChange = onChange;
        try {
            this.watchService = dir.getFileSystem().newWatchService();
        } catch (IOException e) {
            throw new IllegalStateException("cannot watch " + dir, e);
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "rules-reload"));
        this.watchThread = daemon(this::watch, "rules-watch");
    }

    public RulesWatcher start() {
        registerTree(dir);
        watchThread.start();
        return this;
    }

    private void watch() {
        while (!Thread.currentThread().isInterrupted()) {
            WatchKey key;
            try {
                key = watchService.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            Path watched = (Path) key.watchable();
            for (var event : key.pollEvents()) {
                if (event.context() instanceof Path name) {
                    Path file = watched.resolve(name);
                    if (event.kind() == ENTRY_CREATE && Files.isDirectory(file)) {
                        registerTree(file);
                    }
                    noteChange(file, event.kind() == ENTRY_CREATE ? "created"
                            : event.kind() == ENTRY_DELETE ? "deleted" : "modified");
                }
            }
            key.reset();
            scheduleReload();
        }
    }

    private synchronized void scheduleReload() {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = scheduler.schedule(this::reload, QUIET_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void noteChange(Path file, String what) {
        String path = dir.relativize(file).toString().replace('\\', '/');
        // created then modified is still a new file; deleted then created again is a change
        changed.merge(path, what, (before, now) -> before.equals("created") && now.equals("modified") ? before
                : before.equals("deleted") && now.equals("created") ? "modified" : now);
    }

    private synchronized String drainChanges() {
        String summary = changed.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        changed.clear();
        return summary;
    }

    private void reload() {
        String summary = drainChanges();
        if (!summary.isEmpty()) {
            log.info("rules folder {} changed: {}", dir, summary);
        }
        try {
            onChange.run();
        } catch (RuntimeException e) {
            log.error("rule reload failed; the live rule set keeps serving", e);
        }
    }

    private void registerTree(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.walk(root)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                d.register(watchService, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
            }
        } catch (IOException e) {
            log.warn("cannot watch {}: changes there are picked up only by POST /api/rules/reload", root, e);
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close() {
        watchThread.interrupt();
        try {
            watchService.close();
        } catch (IOException e) {
            log.debug("closing the watch service", e);
        }
        scheduler.shutdownNow();
    }
}
