package dev.agentfactory.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.web.ApiException;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.JsonBody;
import dev.agentfactory.web.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent templates: one JSON file per template in the {@code templates/} folder beside
 * {@code rules/}, which an administrator edits (raising each file's {@code version}). The folder is
 * read on every request, so an edit shows at once; a file that does not parse, or whose blueprint
 * the API would refuse, is left out and reported with its name. When the folder is missing the
 * templates packed into the jar are installed there; a server that reads no rules folder serves the
 * packed ones.
 */
public final class TemplateLibrary {
    private static final Logger log = LoggerFactory.getLogger(TemplateLibrary.class);
    private static final String PACKED = "/default-templates";
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Set<String> FIELDS = Set.of("id", "version", "title", "industry", "whenToUse", "blueprint");
    private static final long MAX_FILE_BYTES = 256 * 1024;

    /** What the folder holds now: the templates that read cleanly, and the files that did not. */
    public record Listing(List<AgentTemplate> items, List<TemplateProblem> problems) {
        public Listing {
            items = List.copyOf(items);
            problems = List.copyOf(problems);
        }
    }

    private final Path folder;

    /** @param folder the folder to read, or null to serve the templates packed into the jar */
    public TemplateLibrary(Path folder) {
        this.folder = folder;
        if (folder != null && !Files.exists(folder)) {
            packed(root -> {
                copy(root, folder);
                return null;
            });
            log.info("installed the default agent templates into {}", folder);
        }
    }

    public Listing list() {
        return folder == null ? packed(TemplateLibrary::read) : read(folder);
    }

    public AgentTemplate get(String id) {
        return list().items().stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException("template " + id));
    }

    private static Listing read(Path dir) {
        List<AgentTemplate> items = new ArrayList<>();
        List<TemplateProblem> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .sorted(Comparator.comparing(f -> f.getFileName().toString())).toList()) {
                String name = file.getFileName().toString();
                try {
                    items.add(parse(name, file));
                } catch (IOException | RuntimeException e) {
                    problems.add(new TemplateProblem(name, e.getMessage()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the templates folder " + dir, e);
        }
        problems.forEach(p -> log.warn("template {} left out: {}", p.file(), p.message()));
        return new Listing(items, problems);
    }

    private static AgentTemplate parse(String name, Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("larger than " + MAX_FILE_BYTES / 1024 + " KB");
        }
        JsonNode node = Json.MAPPER.readTree(Files.readAllBytes(file));
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a JSON object is expected");
        }
        node.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + field + "'; allowed: " + FIELDS);
            }
        });
        String id = name.substring(0, name.length() - ".json".length());
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("the file name must be lower-case letters, digits and dashes");
        }
        if (!id.equals(text(node, "id"))) {
            throw new IllegalArgumentException("id must be the file name without .json: '" + id + "'");
        }
        JsonNode version = node.get("version");
        if (version == null || !version.canConvertToInt() || !version.isIntegralNumber() || version.asInt() < 1) {
            throw new IllegalArgumentException("version must be a whole number of at least 1");
        }
        JsonNode blueprint = node.get("blueprint");
        if (blueprint == null || !blueprint.isObject()) {
            throw new IllegalArgumentException("blueprint must be an object: the body POST /api/agents takes");
        }
        try {
            JsonBody.convert(blueprint, BlueprintSpec.class);
        } catch (ApiException e) {
            throw new IllegalArgumentException("blueprint: " + e.getMessage() + " " + e.details());
        }
        return new AgentTemplate(id, version.asInt(), text(node, "title"), text(node, "industry"),
                text(node, "whenToUse"), blueprint);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(field + " must be a non-blank string");
        }
        return value.asText();
    }

    private interface PackedReader<T> {
        T read(Path root) throws IOException;
    }

    private static <T> T packed(PackedReader<T> reader) {
        if (TemplateLibrary.class.getResource(PACKED) == null) {
            throw new IllegalStateException("no agent templates are packed into this build");
        }
        try {
            URI uri = TemplateLibrary.class.getResource(PACKED).toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return reader.read(jar.getPath(PACKED));
                }
            }
            return reader.read(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the templates packed in the jar", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path source : files.toList()) {
                Files.copy(source, to.resolve(source.getFileName().toString()));
            }
        }
    }
}
