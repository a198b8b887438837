package dev.agentfactory.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Copies a folder: the packed rules written out, the rehearsal's copy of the watched folder, the tests'
 * and the benchmarks' private copies.
 */
public final class FolderCopy {
    private FolderCopy() {
    }

    /** {@code from}'s files and folders, copied to {@code to} (possibly on another file system, such as the jar's). */
    public static void copy(Path from, Path to) throws IOException {
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
