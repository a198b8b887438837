package dev.agentfactory.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code <data dir>/audit-key}: the generated key, mode 600, beside the admin token. */
final class AuditKeyFile {
    private static final Logger log = LoggerFactory.getLogger(AuditKeyFile.class);
    static final String NAME = "audit-key";

    private final Path file;

    AuditKeyFile(Path dataDir) {
        this.file = dataDir.resolve(NAME).toAbsolutePath();
    }

    Path path() {
        return file;
    }

    /** The key in the file, if there is one. */
    Optional<String> read() {
        try {
            String key = Files.readString(file, StandardCharsets.UTF_8).trim();
            warnIfOthersMayRead();
            return Optional.of(key);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit key file " + file, e);
        }
    }

    /**
     * Writes a new random 256-bit key, readable by the server's user only, and forced to disk before
     * anything is sealed with it. If another instance sharing the folder got there first, its key wins.
     */
    String generate() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                channel.write(ByteBuffer.wrap((key + System.lineSeparator()).getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
        } catch (FileAlreadyExistsException e) {
            return read().orElseThrow(() -> new IllegalStateException("the audit key file " + file + " vanished"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit key file " + file, e);
        }
        log.info("generated the audit key and wrote it to {} (mode 600): back it up, apart from the database", file);
        return key;
    }

    private void warnIfOthersMayRead() throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            permissions.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            if (!permissions.isEmpty()) {
                log.warn("the audit key file {} may be read by others ({}): chmod 600 it",
                        file, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            }
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to check.
        }
    }
}
