package dev.agentfactory.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A broken rules folder at start-up does not take the server down, and nothing is decided without rules. */
class BrokenRulesAtStartTest {

    @Test
    void the_server_starts_refuses_to_decide_and_recovers_when_the_file_is_fixed() throws Exception {
        Path rules = RulesFolder.copyOfShipped();
        Path security = rules.resolve("blueprint/security.drl");
        String good = Files.readString(security);
        Files.writeString(security, good.replace("then\n    insert(Results.finding(drools, \"maxAllowedScope",
                "then then\n    insert(Results.finding(drools, \"maxAllowedScope"));

        try (TestServer server = TestServer.start("brokenstart", c -> c.withRulesDir(rules))) {
            JsonNode status = server.get("/api/rules/status", TestServer.ADMIN_TOKEN).json();
            assertTrue(status.get("version").isNull(), status.toString());
            assertEquals("blueprint/security.drl", status.at("/lastRefusal/errors/0/file").asText());
            HttpResult refused = server.post("/api/validation/agent", TestServer.ADMIN_TOKEN, Blueprints.valid("x"));
            assertEquals(503, refused.status());
            assertEquals("rules_unavailable", refused.json().at("/error/code").asText());
            assertEquals(200, server.get("/health/live", null).status(), "alive");
            HttpResult health = server.get("/health", null);
            assertEquals(503, health.status(), "but not ready");
            assertEquals("NOT LOADED", health.json().get("rules").asText());

            RulesFolder.write(security, good);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (server.get("/api/rules/status", TestServer.ADMIN_TOKEN).json().get("version").isNull()
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(200, server.post("/api/validation/agent", TestServer.ADMIN_TOKEN, Blueprints.valid("x")).status());
            assertEquals(200, server.get("/health", null).status(), "ready once a rule set loaded");
        }
    }
}
