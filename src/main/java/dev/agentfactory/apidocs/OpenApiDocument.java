package dev.agentfactory.apidocs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The OpenAPI 3.1 document of this server: its frame ({@code openapi/openapi.yaml}) and one file of
 * paths per feature ({@code openapi/paths/*.yaml}), read from the jar; then, from the router itself,
 * each operation's roles ({@code x-roles} and a line in its description), its security and the error
 * answers every route can give. A route the files do not describe is left out here, and
 * OpenApiRoundTripTest fails on it.
 */
public final class OpenApiDocument {
    static final List<String> PATH_FILES = List.of("agents", "deployment", "runtime", "approvals", "validation",
            "rules", "replay", "analytics", "auth", "operations", "execution", "grants");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    /** A route as the router has it: method, path ({@code <path>} for a rest-of-path parameter), roles (none: public). */
    public record Route(String method, String path, Set<String> roles) {
    }

    private OpenApiDocument() {
    }

    public static ObjectNode build(List<Route> routes) {
        ObjectNode document = (ObjectNode) read("openapi/openapi.yaml");
        ObjectNode paths = document.putObject("paths");
        for (String file : PATH_FILES) {
            read("openapi/paths/" + file + ".yaml").properties().forEach(entry -> {
                if (paths.has(entry.getKey())) {
                    throw new IllegalStateException("openapi/paths/" + file + ".yaml describes " + entry.getKey()
                            + " again");
                }
                paths.set(entry.getKey(), entry.getValue());
            });
        }
        for (Route route : routes) {
            JsonNode operation = paths.path(openApiPath(route.path())).path(route.method().toLowerCase(Locale.ROOT));
            if (operation instanceof ObjectNode described) {
                decorate(described, route);
            }
        }
        return document;
    }

    /** Javalin's {@code <path>} (the rest of the path) is OpenAPI's {@code {path}}. */
    public static String openApiPath(String javalinPath) {
        return javalinPath.replace('<', '{').replace('>', '}');
    }

    /** Every (METHOD, path) the document describes. */
    public static Set<String> operations(JsonNode document) {
        Set<String> operations = new TreeSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (METHODS.contains(op.getKey())) {
                operations.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return operations;
    }

    private static void decorate(ObjectNode operation, Route route) {
        List<String> roles = route.roles().stream().sorted().toList();
        ArrayNode xRoles = operation.putArray("x-roles");
        roles.forEach(xRoles::add);
        String access = roles.isEmpty() ? "Public: no token needed." : "Roles: " + String.join(", ", roles) + ".";
        String description = operation.path("description").asText("");
        operation.put("description", description.isEmpty() ? access : description + "\n\n" + access);
        ArrayNode security = operation.putArray("security");
        if (!roles.isEmpty()) {
            security.addObject().putArray("bearer");
        }
        ObjectNode responses = operation.with("responses");
        boolean hasInput = operation.has("requestBody") || operation.has("parameters") || route.path().contains("{");
        if (hasInput) {
            common(responses, "400", "BadRequest");
        }
        if (!roles.isEmpty()) {
            common(responses, "401", "Unauthorized");
            common(responses, "403", "Forbidden");
        }
        if (route.path().contains("{") || route.path().contains("<")) {
            common(responses, "404", "NotFound");
        }
        common(responses, "default", "ServerError");
    }

    private static void common(ObjectNode responses, String status, String name) {
        if (!responses.has(status)) {
            responses.putObject(status).put("$ref", "#/components/responses/" + name);
        }
    }

    private static JsonNode read(String resource) {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
