package dev.agentfactory.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A policy bundle: every file of a rules folder that matters (shared {@code *.drl}, the catalog
 * among them; {@code templates/*.drt}; {@code tests/*.json}), by path relative to the folder with
 * forward slashes. Content-addressed: its version is a hash of every path and text, so the same
 * files are the same version on every server and years later.
 *
 * @param problems what made files unusable when the folder was read (not UTF-8, too large, a link
 *     out of the folder); a bundle with problems is refused, never stored
 */
public record Bundle(Map<String, String> files, String version, List<RuleError> problems) {
    public static final String TEMPLATES_DIR = "templates/";
    public static final String TESTS_DIR = "tests/";
    static final int MAX_FILES = 500;
    static final int MAX_FILE_BYTES = 1024 * 1024;
    static final long MAX_BUNDLE_BYTES = 16L * 1024 * 1024;

    public Bundle {
        files = Collections.unmodifiableMap(new TreeMap<>(files));
        problems = List.copyOf(problems);
    }

    /** The bundle of these files (as stored: nothing to complain about but what the builder finds). */
    public static Bundle of(Map<String, String> files) {
        Map<String, byte[]> bytes = new TreeMap<>();
        files.forEach((path, text) -> bytes.put(path, text.getBytes(StandardCharsets.UTF_8)));
        return new Bundle(files, hash(bytes), List.of());
    }

    /**
     * Reads the folder. Unreadable files do not stop the reading: they are named in {@link #problems}
     * and counted in the version by their bytes, so the refusal names a version too.
     */
    public static Bundle read(Path dir) {
        Map<String, String> files = new TreeMap<>();
        Map<String, byte[]> raw = new TreeMap<>();
        List<RuleError> problems = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return new Bundle(files, hash(raw), List.of(new RuleError(dir.toString(), 0, "no such folder")));
        }
        Path root = realPath(dir);
        long total = 0;
        // Links are followed (mounted configuration is often made of them), but only inside the folder:
        // the files of a bundle can be read over the API by every organization's compliance officers.
        try (Stream<Path> walk = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                String path = dir.relativize(file).toString().replace('\\', '/');
                if (isHidden(path) || !belongs(path)) {
                    continue;
                }
                byte[] bytes;
                try {
                    if (!file.toRealPath().startsWith(root)) {
                        problems.add(new RuleError(path, 0, "links out of the rules folder"));
                        continue;
                    }
                    bytes = Files.readAllBytes(file);
                } catch (NoSuchFileException e) {
                    continue; // deleted since the folder was listed: the watcher sees that change too
                } catch (IOException e) {
                    problems.add(new RuleError(path, 0, "cannot be read: " + e.getClass().getSimpleName()));
                    continue;
                }
                raw.put(path, bytes);
                total += bytes.length;
                problemWith(bytes).ifPresentOrElse(problem -> problems.add(new RuleError(path, 0, problem)),
                        () -> files.put(path, new String(bytes, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the rules folder " + dir, e);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof FileSystemLoopException loop) {
                problems.add(new RuleError(dir.relativize(Path.of(loop.getFile())).toString(), 0,
                        "a link loops back into the folder"));
            } else {
                throw e;
            }
        }
        if (raw.size() > MAX_FILES) {
            problems.add(new RuleError(".", 0, raw.size() + " files; a bundle holds at most " + MAX_FILES));
        }
        if (total > MAX_BUNDLE_BYTES) {
            problems.add(new RuleError(".", 0, total + " bytes; a bundle holds at most " + MAX_BUNDLE_BYTES));
        }
        return new Bundle(files, hash(raw), problems);
    }

    /** Whether a file at {@code path} is part of a bundle. Everything else in the folder is ignored. */
    static boolean belongs(String path) {
        if (path.startsWith(TEMPLATES_DIR)) {
            return path.endsWith(".drt") && path.indexOf('/', TEMPLATES_DIR.length()) < 0;
        }
        return path.endsWith(".drl") || (path.startsWith(TESTS_DIR) && path.endsWith(".json"));
    }

    /** The shared rules and rule tests, versioned as this bundle. */
    public RuleSource ruleSource() {
        Map<String, String> drl = new TreeMap<>();
        Map<String, String> tests = new TreeMap<>();
        files.forEach((path, text) -> {
            if (path.startsWith(TEMPLATES_DIR)) {
                return;
            }
            if (path.endsWith(".drl")) {
                drl.put(path, text);
            } else {
                tests.put(path, text);
            }
        });
        return new RuleSource(drl, tests, version);
    }

    /** The agent templates, by file name. */
    public TemplateSet templateSet() {
        Map<String, String> texts = new LinkedHashMap<>();
        for (String name : TemplateSet.FILES) {
            texts.put(name, files.getOrDefault(TEMPLATES_DIR + name, ""));
        }
        return TemplateSet.of(texts);
    }

    /** Template files no agent would ever be compiled from: a typo in a name must not pass unseen. */
    List<RuleError> unknownTemplates() {
        return files.keySet().stream().filter(path -> path.startsWith(TEMPLATES_DIR))
                .filter(path -> !TemplateSet.FILES.contains(path.substring(TEMPLATES_DIR.length())))
                .map(path -> new RuleError(path, 0, "not an agent template; the templates are "
                        + String.join(", ", TemplateSet.FILES)))
                .toList();
    }

    private static java.util.Optional<String> problemWith(byte[] bytes) {
        if (bytes.length > MAX_FILE_BYTES) {
            return java.util.Optional.of(bytes.length + " bytes; a file may have at most " + MAX_FILE_BYTES);
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            if (text.indexOf('\u0000') >= 0) {
                return java.util.Optional.of("contains U+0000 (NUL): not a text file");
            }
            return java.util.Optional.empty();
        } catch (CharacterCodingException e) {
            return java.util.Optional.of("not UTF-8 text");
        }
    }

    /** Editors leave swap and backup files next to the real ones; hidden folders are not rules either. */
    private static boolean isHidden(String path) {
        for (String segment : path.split("/")) {
            if (segment.startsWith(".") || segment.startsWith("#") || segment.endsWith("~")) {
                return true;
            }
        }
        return false;
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + path, e);
        }
    }

    /** Length-prefixed, so no choice of paths and texts can give another bundle's bytes. */
    private static String hash(Map<String, byte[]> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer length = ByteBuffer.allocate(Long.BYTES);
            files.forEach((path, bytes) -> {
                byte[] name = path.getBytes(StandardCharsets.UTF_8);
                digest.update(length.clear().putLong(name.length).array());
                digest.update(name);
                digest.update(length.clear().putLong(bytes.length).array());
                digest.update(bytes);
            });
            return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
