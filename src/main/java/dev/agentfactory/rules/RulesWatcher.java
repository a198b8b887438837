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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
                if (event.kind() == ENTRY_CREATE && event.context() instanceof Path name) {
                    Path created = watched.resolve(name);
                    if (Files.isDirectory(created)) {
                        registerTree(created);
                    }
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

    private void reload() {
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
