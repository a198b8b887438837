package dev.agentfactory.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.support.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The template library: the shipped patterns validate clean against the live rules, and the folder is editable. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemplateLibraryTest {
    private TestServer server;
    private String pm;

    @BeforeAll
    void start() {
        server = TestServer.start("templates");
        pm = server.token(server.organization("acme"), "paula", "PM");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void at_least_eight_templates_across_real_estate_mortgage_and_financial_services() {
        HttpResult result = server.get("/api/templates", pm);
        assertEquals(200, result.status(), result.toString());
        JsonNode items = result.json().get("items");
        assertTrue(items.size() >= 8, "templates: " + items.size());
        assertEquals(0, result.json().get("problems").size(), result.toString());
        Set<String> industries = new HashSet<>();
        for (JsonNode template : items) {
            industries.add(template.get("industry").asText());
            assertTrue(template.get("version").asInt() >= 1);
            assertTrue(template.get("whenToUse").asText().startsWith("Use when"), template.toString());
            assertEquals(template.get("industry").asText(), template.at("/blueprint/industryProfile").asText());
        }
        assertTrue(industries.containsAll(Set.of("RealEstate", "Mortgage", "Financial")), industries.toString());
        Set<String> ids = new HashSet<>();
        items.forEach(t -> ids.add(t.get("id").asText()));
        assertTrue(ids.containsAll(Set.of("lead-follow-up", "showing-reminder", "mortgage-document-chaser",
                "payment-reminder", "kyc-refresh")), ids.toString());
    }

    @Test
    void every_template_validates_clean_against_the_live_rules_and_can_be_created() {
        List<String> dirty = new ArrayList<>();
        for (JsonNode template : server.get("/api/templates", pm).json().get("items")) {
            JsonNode report = server.post("/api/validation/agent", pm, template.get("blueprint")).json();
            List<String> errors = new ArrayList<>();
            report.get("findings").forEach(f -> {
                if (f.get("severity").asText().equals("ERROR")) {
                    errors.add(f.get("ruleId").asText() + " " + f.get("message").asText());
                }
            });
            if (!report.get("valid").asBoolean() || !errors.isEmpty()) {
                dirty.add(template.get("id").asText() + ": " + errors);
            }
            assertEquals(201, server.post("/api/agents", pm, template.get("blueprint")).status(),
                    template.get("id").asText());
        }
        assertTrue(dirty.isEmpty(), "templates with ERROR findings: " + dirty);
    }

    @Test
    void one_template_by_id_and_an_unknown_one_is_a_404() {
        HttpResult one = server.get("/api/templates/kyc-refresh", pm);
        assertEquals(200, one.status());
        assertEquals("KYC refresh", one.json().get("title").asText());
        assertEquals(404, server.get("/api/templates/no-such-template", pm).status());
        assertEquals(401, server.get("/api/templates", null).status());
    }

    @Test
    void an_admin_edits_the_folder_and_a_broken_file_is_named_not_served() throws IOException {
        Path rules = RulesFolder.copyOfShipped();
        Path templates = rules.resolveSibling("templates");
        try (TestServer own = TestServer.start("templates_edit", c -> c.withRulesDir(rules))) {
            assertTrue(Files.exists(templates.resolve("kyc-refresh.json")), "installed beside the rules folder");
            String token = own.token(own.defaultOrganizationId(), "paula", "PM");
            int shipped = own.get("/api/templates", token).json().get("items").size();

            Path kyc = templates.resolve("kyc-refresh.json");
            RulesFolder.write(kyc, Files.readString(kyc).replace("\"version\": 1", "\"version\": 2"));
            RulesFolder.write(templates.resolve("broken.json"), "{\"id\": \"broken\", ");
            RulesFolder.write(templates.resolve("bad-blueprint.json"), """
                    {"id": "bad-blueprint", "version": 1, "title": "t", "industry": "RealEstate", "whenToUse": "w",
                     "blueprint": {"actionConfig": {"riskThreshold": "high"}}}
                    """);

            JsonNode listing = own.get("/api/templates", token).json();
            assertEquals(shipped, listing.get("items").size());
            assertEquals(2, own.get("/api/templates/kyc-refresh", token).json().get("version").asInt());
            List<String> problems = new ArrayList<>();
            listing.get("problems").forEach(p -> problems.add(p.get("file").asText() + ": " + p.get("message").asText()));
            assertEquals(2, problems.size(), problems.toString());
            assertTrue(problems.get(0).startsWith("bad-blueprint.json: blueprint"), problems.toString());
            assertTrue(problems.get(0).contains("riskThreshold"), problems.toString());
            assertTrue(problems.get(1).startsWith("broken.json"), problems.toString());
            assertFalse(listing.toString().contains("\"id\":\"broken\""));
        }
    }
}
