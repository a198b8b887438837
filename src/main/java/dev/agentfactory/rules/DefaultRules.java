package dev.agentfactory.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipped rules are packed into the jar as {@code default-rules/}. When the configured rules
 * folder does not exist (the jar run somewhere else), they are copied there, so the server always
 * starts with real governance rules that compliance can then edit; a server that watches no folder
 * publishes them into a database that has no bundle yet.
 */
public final class DefaultRules {
    private static final Logger log = LoggerFactory.getLogger(DefaultRules.class);
    private static final String RESOURCE = "/default-rules";

    private DefaultRules() {
    }

    public static void installIfMissing(Path dir) {
        if (Files.exists(dir)) {
            return;
        }
        if (DefaultRules.class.getResource(RESOURCE) == null) {
            log.warn("no default rules are packed into this build; {} stays empty", dir);
            return;
        }
        packed(root -> {
            FolderCopy.copy(root, dir);
            return null;
        });
        log.info("installed the default rules into {}", dir);
    }

    /** The rules packed into the jar, as a bundle (empty when none are packed). */
    public static Bundle bundle() {
        if (DefaultRules.class.getResource(RESOURCE) == null) {
            return Bundle.of(Map.of());
        }
        return packed(Bundle::read);
    }

    private interface PackedReader<T> {
        T read(Path root) throws IOException;
    }

    private static <T> T packed(PackedReader<T> reader) {
        try {
            URI uri = DefaultRules.class.getResource(RESOURCE).toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return reader.read(jar.getPath(RESOURCE));
                }
            }
            return reader.read(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the rules packed in the jar", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
