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
 * This server's claim on its data folder. A live server's embedded PostgreSQL (zonky) holds the
 * file lock on {@code <pgdata>/epg-lock} for as long as PostgreSQL runs, so a lock we can take
 * means no live server uses the folder, and a PostgreSQL found running there is an orphan.
 *
 * <p>The lock is held while the orphan is dealt with, and released just before zonky takes it.
 * File locks belong to the process: a second channel on the file inside this JVM cannot see the
 * first one's lock, and closing it would drop that lock. So folders in use by this JVM are
 * remembered here and never probed through the file.
 */
final class DataFolderLock implements AutoCloseable {
    static final String LOCK_FILE = "epg-lock";

    private static final Set<Path> IN_USE_BY_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path pgData;
    private FileChannel channel;
    private FileLock lock;

    private DataFolderLock(Path pgData) {
        this.pgData = pgData;
    }

    /**
     * Claims {@code pgData} (an existing folder) or fails with "another Agent Factory server is
     * using {@code dataDir}", touching nothing.
     */
    static DataFolderLock claim(Path dataDir, Path pgData) {
        Path key = realPath(pgData);
        if (!IN_USE_BY_THIS_JVM.add(key)) {
            throw inUse(dataDir);
        }
        DataFolderLock claim = new DataFolderLock(key);
        try {
            claim.lockFile(dataDir);
            return claim;
        } catch (RuntimeException e) {
            claim.close();
            throw e;
        }
    }

    static IllegalStateException inUse(Path dataDir) {
        return new IllegalStateException("another Agent Factory server is using " + dataDir
                + ": stop it first, or give this server another data folder (AF_DATA_DIR)");
    }

    private void lockFile(Path dataDir) {
        Path file = pgData.resolve(LOCK_FILE);
        // No lock file: zonky never ran here, so no server runs here. Creating it would make the
        // folder non-empty, and initdb refuses non-empty folders.
        if (!Files.exists(file)) {
            return;
        }
        try {
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // Only a failed zonky start in this JVM leaves a lock here that the set above does not know.
            lock = null;
        } catch (IOException e) {
            releaseFile();
            throw new UncheckedIOException("cannot lock " + file, e);
        }
        if (lock == null) {
            releaseFile();
            throw inUse(dataDir);
        }
    }

    /** Lets zonky take the file lock; the folder stays claimed within this JVM until {@link #close}. */
    void releaseFile() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock on " + pgData.resolve(LOCK_FILE), e);
        } finally {
            lock = null;
            channel = null;
        }
    }

    @Override
    public void close() {
        try {
            releaseFile();
        } finally {
            IN_USE_BY_THIS_JVM.remove(pgData);
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
