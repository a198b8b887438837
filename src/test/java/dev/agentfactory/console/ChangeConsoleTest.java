package dev.agentfactory.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.Browser;
import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The compliance desk's Change tab in a real browser: replay a stored bundle against past decisions,
 * run it in shadow; and an approver opens "Why this decision" on a parked action.
 */
class ChangeConsoleTest {
    private static final String HYBRID_FLOOR = "insertLogical(new ConfidenceFloor(ActionScope.Hybrid, 0.7));";

    @Test
    void a_compliance_officer_replays_a_bundle_runs_it_in_shadow_and_an_approver_reads_why() throws Exception {
        Path rules = RulesFolder.copyOfShipped();
        try (TestServer server = TestServer.start("console_change", c -> c.withRulesDir(rules))) {
            String serving = version(server);
            Path tier2 = rules.resolve("actions/tier2-risk.drl");
            RulesFolder.write(tier2, Files.readString(tier2).replace(HYBRID_FLOOR, HYBRID_FLOOR.replace("0.7", "0.8")));
            await().atMost(Duration.ofSeconds(20)).until(() -> !version(server).equals(serving));
            String tightened = version(server);
            assertEquals(200, server.post("/api/rules/bundles/" + serving + "/activate", TestServer.ADMIN_TOKEN,
                    Map.of("reason", "the tightened rules go to review first")).status());
            await().atMost(Duration.ofSeconds(10)).until(() -> version(server).equals(serving));

            String organization = server.defaultOrganizationId();
            String pm = server.token(organization, "pia", "PM");
            String id = Agents.createAndDeploy(server, pm, Blueprints.with(Blueprints.valid("Escalator"),
                    "actionConfig", "allowedActionTypes", List.of("EscalateLead")));
            String token = Agents.agentToken(server, pm, id);
            Agents.propose(server, token, id, Map.of("actionType", "EscalateLead", "confidence", 0.95));
            Agents.propose(server, token, id, Map.of("actionType", "EscalateLead", "confidence", 0.78));
            JsonNode parked = Agents.propose(server, token, id, Map.of("actionType", "EscalateLead", "confidence", 0.65));

            try (Browser browser = Browser.open()) {
                browser.signIn(server, server.token(organization, "olga", "COMPLIANCE"));
                browser.go(server.url("/#/compliance?tab=change"));
                new Select(browser.waitFor(By.id("impact-bundle"))).selectByValue(tightened);
                browser.click(By.cssSelector("#impact-form button[type='submit']"));
                browser.until(d -> d.findElement(By.id("impact")).getText().contains("1 of 3 decisions would flip"),
                        "the impact report");
                assertTrue(browser.text(By.id("impact")).contains("EXECUTE → REQUIRE_APPROVAL"), browser.text(By.id("impact")));
                browser.screenshot("20-compliance-impact");
                browser.click(By.id("start-shadow"));
                WebElement shadow = browser.waitFor(By.cssSelector("#shadows .shadow"));
                assertTrue(shadow.getText().contains("running"), shadow.getText());
                browser.screenshot("21-compliance-shadow");
            }
            try (Browser browser = Browser.open()) {
                browser.signIn(server, server.token(organization, "arthur", "APPROVER"));
                WebElement box = browser.waitFor(By.cssSelector("[data-decision='"
                        + parked.get("decisionId").asText() + "']"));
                box.findElement(By.tagName("summary")).click();
                browser.until(d -> box.getText().contains("Nearest change to EXECUTE"), "the explanation");
                assertTrue(box.getText().contains("T2-010"), box.getText());
                browser.screenshot("22-inbox-explain");
            }
        }
    }

    private static String version(TestServer server) {
        return server.get("/api/rules/status", TestServer.ADMIN_TOKEN).json().get("version").asText();
    }
}
