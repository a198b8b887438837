package dev.agentfactory.apidocs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.App;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The OpenAPI document and the router, both ways: every route documented, every documented route served. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiRoundTripTest {
    private TestServer server;
    private JsonNode document;

    @BeforeAll
    void start() {
        server = TestServer.start("openapi");
        HttpResult answer = server.get("/openapi.json", null);
        assertEquals(200, answer.status(), answer.body());
        document = answer.json();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void every_route_is_documented_and_every_documented_route_exists() {
        Set<String> routes = server.app().endpoints().stream()
                .map(e -> e.method() + " " + OpenApiDocument.openApiPath(e.path()))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = OpenApiDocument.operations(document);

        Set<String> undocumented = new TreeSet<>(routes);
        undocumented.removeAll(documented);
        Set<String> unrouted = new TreeSet<>(documented);
        unrouted.removeAll(routes);
        assertEquals(Set.of(), undocumented, "routes missing from src/main/resources/openapi/paths");
        assertEquals(Set.of(), unrouted, "documented operations no route serves");
        assertEquals("3.1.0", document.get("openapi").asText());
    }

    @Test
    void every_operation_says_its_roles_success_and_errors() {
        for (App.Endpoint endpoint : server.app().endpoints()) {
            JsonNode operation = document.path("paths").path(OpenApiDocument.openApiPath(endpoint.path()))
                    .path(endpoint.method().toLowerCase(Locale.ROOT));
            String name = endpoint.method() + " " + endpoint.path();
            Set<String> roles = endpoint.roles().stream().map(Object::toString).collect(Collectors.toSet());
            Set<String> documentedRoles = new TreeSet<>();
            operation.path("x-roles").forEach(r -> documentedRoles.add(r.asText()));
            assertEquals(roles, documentedRoles, name);
            assertFalse(operation.path("summary").asText().isBlank(), name + " has no summary");
            List<String> statuses = new ArrayList<>();
            operation.path("responses").fieldNames().forEachRemaining(statuses::add);
            assertTrue(statuses.stream().anyMatch(s -> s.startsWith("2")), name + " names no success: " + statuses);
            assertTrue(statuses.contains("default"), name + " has no error answer");
            if (!roles.isEmpty()) {
                assertTrue(statuses.containsAll(List.of("401", "403")), name + ": " + statuses);
                assertEquals("bearer", operation.at("/security/0").fieldNames().next(), name);
            }
        }
    }

    @Test
    void every_reference_resolves() {
        List<String> broken = new ArrayList<>();
        walk(document, broken);
        assertEquals(List.of(), broken);
        assertEquals("object", document.at("/components/schemas/Error/properties/error/type").asText());
    }

    @Test
    void the_docs_page_renders_the_document_with_assets_from_the_jar() {
        HttpResult page = server.get("/docs", null);
        assertEquals(200, page.status());
        assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
        assertTrue(page.body().contains("url: \"/openapi.json\""), page.body());

        HttpResult bundle = server.get("/docs/swagger-ui-bundle.js", null);
        assertEquals(200, bundle.status());
        assertTrue(bundle.header("Content-Type").startsWith("application/javascript"));
        assertTrue(bundle.body().length() > 100_000, "the whole bundle");
        assertEquals(200, server.get("/docs/swagger-ui.css", null).status());
        assertEquals(404, server.get("/docs/index.html", null).status(), "only the page's own files");
    }

    /**
     * Core answers against their schemas, as far as names go: every property the server sends is one the
     * schema names (nothing undocumented), and every property the schema requires is there.
     */
    @Test
    void core_answers_match_their_schemas() {
        String pm = server.token(server.defaultOrganizationId(), "schema.pm", "PM");
        HttpResult created = server.post("/api/agents", pm, dev.agentfactory.support.Agents.leadAgent("Schema"));
        assertEquals(201, created.status(), created.body());
        conforms(created.json(), "Blueprint");
        String id = created.json().get("id").asText();
        JsonNode fetched = server.get("/api/agents/" + id, pm).json();
        conforms(fetched, "Blueprint");
        conforms(fetched.get("actionConfig"), "BlueprintSpec", "actionConfig");

        HttpResult deployed = server.post("/api/agents/" + id + "/deploy", pm, "");
        assertEquals(201, deployed.status(), deployed.body());
        conforms(deployed.json(), "DeployResult");
        deployed.json().get("atRunTime").forEach(p -> conforms(p, "Prediction"));

        HttpResult missing = server.get("/api/agents/" + java.util.UUID.randomUUID(), pm);
        assertEquals(404, missing.status());
        conforms(missing.json(), "Error");
        conforms(missing.json().get("error"), "Error", "error");
    }

    /** {@code node} against components.schemas.{@code schema} (or one of its object properties), allOf merged. */
    private void conforms(JsonNode node, String schema, String... property) {
        JsonNode definition = document.at("/components/schemas/" + schema);
        for (String name : property) {
            definition = properties(definition).get(name);
        }
        java.util.Map<String, JsonNode> known = properties(definition);
        Set<String> required = new TreeSet<>();
        collectRequired(definition, required);
        Set<String> sent = new TreeSet<>();
        node.fieldNames().forEachRemaining(sent::add);
        Set<String> undocumented = new TreeSet<>(sent);
        undocumented.removeAll(known.keySet());
        assertEquals(Set.of(), undocumented, schema + " does not name what the server sends: " + node);
        assertTrue(sent.containsAll(required), schema + " requires " + required + ": " + node);
    }

    private java.util.Map<String, JsonNode> properties(JsonNode schema) {
        java.util.Map<String, JsonNode> all = new java.util.LinkedHashMap<>();
        JsonNode resolved = schema.has("$ref") ? document.at(schema.get("$ref").asText().substring(1)) : schema;
        resolved.path("properties").properties().forEach(e -> all.put(e.getKey(), e.getValue()));
        resolved.path("allOf").forEach(part -> all.putAll(properties(part)));
        return all;
    }

    private void collectRequired(JsonNode schema, Set<String> required) {
        JsonNode resolved = schema.has("$ref") ? document.at(schema.get("$ref").asText().substring(1)) : schema;
        resolved.path("required").forEach(r -> required.add(r.asText()));
        resolved.path("allOf").forEach(part -> collectRequired(part, required));
    }

    private void walk(JsonNode node, List<String> broken) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && (!ref.asText().startsWith("#/") || document.at(ref.asText().substring(1)).isMissingNode())) {
                broken.add(ref.asText());
            }
            node.elements().forEachRemaining(child -> walk(child, broken));
        } else if (node.isArray()) {
            node.forEach(child -> walk(child, broken));
        }
    }
}
