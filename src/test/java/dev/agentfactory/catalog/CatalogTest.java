package dev.agentfactory.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/catalog}: what a blueprint may say, read from the live rules. */
class CatalogTest {
    private Path rules;
    private TestServer server;

    @BeforeEach
    void start() {
        rules = RulesFolder.copyOfShipped();
        server = TestServer.start("catalog", c -> c.withRulesDir(rules));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Map<String, String> scopes(JsonNode catalog) {
        Map<String, String> scopes = new HashMap<>();
        catalog.get("actionTypes").forEach(a -> scopes.put(a.get("name").asText(), a.get("scope").asText()));
        return scopes;
    }

    @Test
    void any_signed_in_role_reads_the_action_types_context_types_and_enums_with_their_meanings() {
        String approver = server.token(server.defaultOrganizationId(), "abe", "APPROVER");
        HttpResult result = server.get("/api/catalog", approver);

        assertEquals(200, result.status(), result.body());
        JsonNode catalog = result.json();
        Map<String, String> scopes = scopes(catalog);
        assertEquals("RealWorld", scopes.get("SendSMS"));
        assertEquals("Hybrid", scopes.get("EscalateLead"));
        assertEquals("InnerWorld", scopes.get("GenerateRecommendation"));
        assertFalse(scopes.containsKey("ContactProfile"), "context types are not action types");
        assertTrue(catalog.toString().contains("\"ContactProfile\""));
        assertEquals(server.get("/api/rules/status", TestServer.ADMIN_TOKEN).json().get("version").asText(),
                catalog.get("bundleVersion").asText());
        JsonNode modes = catalog.at("/enums/actionConfig.overrideMode");
        assertEquals(4, modes.size());
        modes.forEach(m -> assertFalse(m.get("meaning").asText().isBlank(), m.toString()));
        assertEquals(401, server.get("/api/catalog", null).status());
    }

    @Test
    void the_catalog_follows_a_rule_edit() throws Exception {
        assertFalse(scopes(server.get("/api/catalog", TestServer.ADMIN_TOKEN).json()).containsKey("SendFax"));
        Path scopesFile = rules.resolve("catalog/action-scopes.drl");
        RulesFolder.write(scopesFile, Files.readString(scopesFile).replace("\"SendSMS\", ", "\"SendSMS\", \"SendFax\", "));

        HttpResult reload = server.post("/api/rules/reload", TestServer.ADMIN_TOKEN, "{}");
        assertEquals(200, reload.status(), reload.body());

        assertEquals("RealWorld", scopes(server.get("/api/catalog", TestServer.ADMIN_TOKEN).json()).get("SendFax"));
    }
}
