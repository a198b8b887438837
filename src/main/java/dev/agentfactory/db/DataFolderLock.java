package dev.agentfactory.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One server per data folder. The server holds a file lock on {@code <data dir>/server.lock}
 * from before its PostgreSQL starts until after it stops, so two servers starting at once on a
 * fresh folder cannot both run initdb, and a PostgreSQL found running in a folder we could lock
 * is an orphan. A server of a version before that lock is recognised by zonky's own lock on
 * {@code <pgdata>/epg-lock}, which it holds while its PostgreSQL runs.
 *
 * <p>File locks belong to the process: inside one JVM a second channel on a locked file cannot
 * see the lock, and closing that channel would drop it. So the folders this JVM uses are
 * remembered here and never probed through their files.
 */
final class DataFolderLock implements AutoCloseable {
    static final String SERVER_LOCK = "server.lock";
    static final String POSTGRES_LOCK = "epg-lock";

    private static final Set<Path> IN_USE_BY_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path folder;
    private final FileChannel channel;

    private DataFolderLock(Path folder, FileChannel channel) {
        this.folder = folder;
        this.channel = channel;
    }

    /**
     * Claims {@code dataDir} (an existing folder, its PostgreSQL in {@code pgData}) for this
     * server, or fails with "another Agent Factory server is using {@code dataDir}", touching nothing.
     */
    static DataFolderLock claim(Path dataDir, Path pgData) {
        Path folder = realPath(dataDir);
        if (!IN_USE_BY_THIS_JVM.add(folder)) {
            throw inUse(dataDir);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(folder.resolve(SERVER_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.tryLock() == null || isLockedElsewhere(pgData.resolve(POSTGRES_LOCK))) {
                throw inUse(dataDir);
            }
            return new DataFolderLock(folder, channel);
        } catch (IOException e) {
            throw release(folder, channel, new UncheckedIOException("cannot lock " + folder.resolve(SERVER_LOCK), e));
        } catch (RuntimeException e) {
            throw release(folder, channel, e);
        }
    }

    static IllegalStateException inUse(Path dataDir) {
        return new IllegalStateException("another Agent Factory server is using " + dataDir
                + ": stop it first, or give this server another data folder (AF_DATA_DIR)");
    }

    /** True when another process holds the lock on {@code file}; a file that does not exist is held by nobody. */
    private static boolean isLockedElsewhere(Path file) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel probe = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = probe.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            // A zonky in this JVM that the set above does not know: one whose start failed.
            return true;
        }
    }

    private static RuntimeException release(Path folder, FileChannel channel, RuntimeException failure) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            failure.addSuppressed(e);
        } finally {
            IN_USE_BY_THIS_JVM.remove(folder);
        }
        return failure;
    }

    /** After this server's PostgreSQL has stopped: closing the channel drops the lock. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + folder.resolve(SERVER_LOCK), e);
        } finally {
            IN_USE_BY_THIS_JVM.remove(folder);
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
