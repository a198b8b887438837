package dev.agentfactory.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The text of a rules folder: every {@code *.drl} (except under {@code templates/}, which hold
 * per-agent templates) and every rule test under {@code tests/}, keyed by path relative to the
 * folder with forward slashes. Its version is a hash of all of it.
 */
public record RuleSource(Map<String, String> drl, Map<String, String> tests, String version) {
    public static final String TESTS_DIR = "tests/";
    public static final String TEMPLATES_DIR = "templates/";

    public RuleSource {
        drl = Collections.unmodifiableMap(new TreeMap<>(drl));
        tests = Collections.unmodifiableMap(new TreeMap<>(tests));
    }

    public static RuleSource read(Path dir) {
        Map<String, String> drl = new TreeMap<>();
        Map<String, String> tests = new TreeMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    String relative = dir.relativize(file).toString().replace('\\', '/');
                    if (relative.startsWith(TEMPLATES_DIR) || isHidden(relative)) {
                        continue;
                    }
                    if (relative.endsWith(".drl")) {
                        drl.put(relative, Files.readString(file, StandardCharsets.UTF_8));
                    } else if (relative.startsWith(TESTS_DIR) && relative.endsWith(".json")) {
                        tests.put(relative, Files.readString(file, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the rules folder " + dir, e);
            }
        }
        return of(drl, tests);
    }

    public static RuleSource of(Map<String, String> drl, Map<String, String> tests) {
        return new RuleSource(drl, tests, hash(new TreeMap<>(drl), new TreeMap<>(tests)));
    }

    /** Editors leave swap and backup files next to the real ones; they are not rules. */
    private static boolean isHidden(String relative) {
        String name = relative.substring(relative.lastIndexOf('/') + 1);
        return name.startsWith(".") || name.endsWith("~") || name.startsWith("#");
    }

    private static String hash(TreeMap<String, String> drl, TreeMap<String, String> tests) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Map<String, String> files : java.util.List.of(drl, tests)) {
                files.forEach((path, content) -> {
                    digest.update(path.getBytes(StandardCharsets.UTF_8));
                    digest.update((byte) 0);
                    digest.update(content.getBytes(StandardCharsets.UTF_8));
                    digest.update((byte) 0);
                });
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
