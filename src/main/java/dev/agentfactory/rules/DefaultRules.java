package dev.agentfactory.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipped rules are packed into the jar as {@code default-rules/}. When the configured rules
 * folder does not exist (the jar run somewhere else), they are copied there, so the server always
 * starts with real governance rules that compliance can then edit.
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
        URL url = DefaultRules.class.getResource(RESOURCE);
        if (url == null) {
            log.warn("no default rules are packed into this build; {} stays empty", dir);
            return;
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    copyTree(jar.getPath(RESOURCE), dir);
                }
            } else {
                copyTree(Path.of(uri), dir);
            }
            log.info("installed the default rules into {}", dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the default rules into " + dir, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
