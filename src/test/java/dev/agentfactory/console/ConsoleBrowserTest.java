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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The console in a real headless Chromium against the real server and database: a PM designs an
 * agent from a template, fixes a finding, tests it and deploys it; an approver sees a parked action
 * arrive without reloading and approves it; a compliance officer reads a refused rule file and its
 * line. Every main screen is saved under target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
    private TestServer server;
    private String org;
    private String pm;
    private String approver;

    @BeforeAll
    void start() {
        server = TestServer.start("console_browser");
        org = server.organization("acme");
        pm = server.token(org, "paula", "PM");
        approver = server.token(org, "arthur", "APPROVER");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static By finding(String field, String severity) {
        return By.cssSelector("[data-field='" + field + "'] .finding." + severity);
    }

    @Test
    void a_wrong_token_is_refused_with_what_to_do() {
        try (Browser browser = Browser.open()) {
            browser.go(server.url("/"));
            browser.waitFor(By.id("token"));
            browser.screenshot("00-sign-in");
            browser.waitFor(By.id("token")).sendKeys("af_not-a-token", Keys.ENTER);
            String error = browser.until(d -> {
                String text = d.findElement(By.id("sign-in-error")).getText();
                return text.isBlank() ? null : text;
            }, "the sign-in error");
            assertTrue(error.contains("ask your administrator"), error);
        }
    }

    @Test
    void a_pm_designs_an_agent_from_a_template_fixes_a_finding_tests_it_and_deploys_it() {
        try (Browser browser = Browser.open()) {
            browser.signIn(server, pm);
            browser.click(By.cssSelector("#nav a[data-screen='templates']"));
            browser.waitFor(By.cssSelector(".template"));
            browser.screenshot("01-templates");
            browser.click(By.cssSelector("a[href='#/design?template=mortgage-document-chaser']"));
            WebElement name = browser.waitFor(By.id("f-name"));
            browser.until(d -> d.findElement(By.id("verdict")).getText().startsWith("Valid"), "the template is valid");
            name.sendKeys(Keys.chord(Keys.CONTROL, "a"), "Chaser of paula");

            browser.click(By.xpath("//ol[@class='stepper']//button[contains(., 'Actions')]"));
            browser.click(By.id("f-actionConfig-overrideMode-NeverAsk"));
            browser.waitFor(finding("actionConfig.overrideMode", "error"));
            String findings = browser.text(By.cssSelector("[data-field='actionConfig.overrideMode'] .findings"));
            assertTrue(findings.contains("BP-BUS-001"), findings);
            assertTrue(findings.contains("Tier 3"), findings);
            assertTrue(browser.text(By.id("verdict")).startsWith("Not valid"));
            browser.screenshot("02-designer-finding");

            browser.click(By.id("f-actionConfig-overrideMode-RiskBased"));
            browser.until(d -> d.findElements(finding("actionConfig.overrideMode", "error")).isEmpty()
                    && d.findElement(By.id("verdict")).getText().startsWith("Valid"), "the finding goes away");
            assertTrue(browser.driver().findElements(By.id("f-actionConfig-riskThreshold")).size() == 1,
                    "RiskBased asks for its threshold");

            browser.click(By.xpath("//ol[@class='stepper']//button[contains(., 'Review')]"));
            browser.click(By.id("save"));
            browser.until(d -> d.findElement(By.id("agent-status")).getText().contains("Draft"), "the saved draft");
            String agentId = browser.driver().getCurrentUrl().replaceAll(".*#/agents/", "");
            JsonNode saved = server.get("/api/agents/" + agentId, pm).json();
            assertEquals("Chaser of paula", saved.get("name").asText());
            assertEquals("RiskBased", saved.at("/actionConfig/overrideMode").asText());

            browser.click(By.cssSelector("a[href='#/agents/" + agentId + "/test']"));
            browser.waitFor(By.id("wb-action"));
            browser.click(By.id("decide"));
            String decision = browser.until(d -> {
                String text = d.findElement(By.id("wb-result")).getText();
                return text.contains("Decision:") ? text : null;
            }, "the what-if decision");
            assertTrue(decision.contains("REQUIRE_APPROVAL"), decision);
            assertTrue(decision.contains("Tier 3"), decision);
            browser.screenshot("03-workbench");
            assertEquals(0, server.get("/api/approvals?status=pending&agentId=" + agentId, approver).json()
                    .get("total").asInt(), "the workbench stores nothing");

            browser.click(By.cssSelector(".crumbs a[href='#/agents/" + agentId + "']"));
            browser.click(By.id("deploy"));
            browser.until(d -> d.findElement(By.id("agent-status")).getText().contains("Active"), "the agent is live");
            assertEquals("Active", server.get("/api/agents/" + agentId, pm).json().get("status").asText());
            browser.screenshot("04-agent-deployed");
        }
    }

    @Test
    void an_approver_sees_a_parked_action_arrive_without_reloading_and_approves_it() {
        String agentId = Agents.createAndDeploy(server, pm, Blueprints.valid("Lead follow-up of paula"));
        String agent = Agents.agentToken(server, pm, agentId);
        try (Browser browser = Browser.open()) {
            browser.signIn(server, approver);
            browser.waitFor(By.cssSelector("#approvals .empty, #approvals .approval"));
            browser.screenshot("05-inbox-before");
            Object marker = ((JavascriptExecutor) browser.driver()).executeScript("return window.performance.timeOrigin");

            JsonNode decision = Agents.propose(server, agent, agentId, Map.of("actionType", "SendEmail",
                    "confidence", 0.9, "contactId", "c-42", "contextTypes", List.of("ContactProfile"),
                    "reasoning", "the lead asked for a viewing"));
            assertEquals("REQUIRE_APPROVAL", decision.get("decision").asText());
            String approvalId = decision.get("approvalId").asText();

            WebElement card = browser.waitFor(By.cssSelector("[data-approval='" + approvalId + "']"));
            assertEquals(marker, ((JavascriptExecutor) browser.driver())
                    .executeScript("return window.performance.timeOrigin"), "the page was not reloaded");
            assertTrue(card.getText().contains("SendEmail"), card.getText());
            assertTrue(card.getText().contains("left"), "a deadline countdown: " + card.getText());
            assertTrue(card.getText().contains("Approvals 0 of 1"), card.getText());
            browser.screenshot("06-inbox-live");

            card.findElement(By.tagName("textarea")).sendKeys("fine to invite c-42");
            card.findElement(By.cssSelector("button.approve")).click();
            browser.until(d -> d.findElements(By.cssSelector("[data-approval='" + approvalId + "']")).isEmpty(),
                    "the approved request leaves the inbox");
            assertEquals("approved", server.get("/api/approvals/" + approvalId, approver).json().get("status").asText());

            browser.click(By.cssSelector("a[href='#/inbox?tab=history']"));
            browser.until(d -> d.findElement(By.id("approvals")).getText().contains("fine to invite c-42"), "my history");
            browser.screenshot("07-inbox-history");
        }

        // the PM watches the same agent: the dashboard, its metrics and log, and two versions side by side
        assertEquals(200, server.put("/api/agents/" + agentId, pm, Blueprints.with(Blueprints.valid("Lead follow-up of paula"),
                null, "goal", "Book a viewing with every qualified lead within two hours")).status());
        try (Browser browser = Browser.open()) {
            browser.signIn(server, pm);
            browser.waitFor(By.cssSelector("tr[data-agent='" + agentId + "']"));
            browser.until(d -> d.findElement(By.cssSelector("tr[data-agent='" + agentId + "']")).getText()
                    .contains("require approval"), "decisions today by outcome");
            browser.screenshot("08-dashboard");
            browser.go(server.url("/#/agents/" + agentId));
            browser.waitFor(By.cssSelector("figure svg.chart"));
            browser.screenshot("09-agent-metrics");
            browser.go(server.url("/#/agents/" + agentId + "/versions"));
            WebElement diff = browser.waitFor(By.cssSelector("table.diff"));
            assertTrue(diff.getText().contains("within two hours"), diff.getText());
            browser.screenshot("10-versions-diff");
            browser.go(server.url("/#/agents/" + agentId + "/code"));
            assertTrue(browser.text(By.cssSelector("pre.code")).contains("rule"));
            browser.screenshot("11-generated-rules");
        }
    }

    @Test
    void an_approver_edits_the_payload_before_approving_and_the_agents_page_shows_the_receipt_of_a_mismatch() {
        String agentId = Agents.createAndDeploy(server, pm, Blueprints.valid("Discounts of paula"));
        String agent = Agents.agentToken(server, pm, agentId);
        JsonNode decision = Agents.propose(server, agent, agentId, Map.of("actionType", "SendEmail",
                "confidence", 0.9, "contactId", "c-7", "contextTypes", List.of("ContactProfile"),
                "reasoning", "the lead asked for a discount", "payload", Map.of("subject", "Viewing", "discount", 20)));
        assertEquals("REQUIRE_APPROVAL", decision.get("decision").asText(), decision.toString());
        String approvalId = decision.get("approvalId").asText();
        String decisionId = decision.get("decisionId").asText();
        try (Browser browser = Browser.open()) {
            browser.signIn(server, approver);
            WebElement card = browser.waitFor(By.cssSelector("[data-approval='" + approvalId + "']"));
            WebElement payload = card.findElement(By.cssSelector("textarea.edit-payload"));
            assertTrue(payload.getAttribute("value").contains("20"), payload.getAttribute("value"));
            payload.clear();
            payload.sendKeys("{\"subject\": \"Viewing\", \"discount\": 5}");
            browser.screenshot("12-inbox-edit-payload");
            card.findElement(By.cssSelector("button.approve")).click();
            browser.until(d -> d.findElements(By.cssSelector("[data-approval='" + approvalId + "']")).isEmpty(),
                    "the approved request leaves the inbox");
        }
        JsonNode stored = server.get("/api/agents/" + agentId + "/decisions/" + decisionId, agent).json();
        assertEquals(5, stored.at("/approvedInput/payload/discount").asInt(), stored.toString());
        assertEquals(20, stored.at("/input/payload/discount").asInt(), "the proposal is kept");

        // the agent executes what was proposed, not what was approved: a violation, with its receipt
        assertEquals("mismatch", server.post("/api/agents/" + agentId + "/decisions/" + decisionId + "/executed", agent,
                Map.of("contactId", "c-7", "payload", Map.of("subject", "Viewing", "discount", 20)))
                .json().get("outcome").asText());
        try (Browser browser = Browser.open()) {
            browser.signIn(server, pm);
            browser.go(server.url("/#/agents/" + agentId + "/executions"));
            WebElement show = browser.waitFor(By.xpath("//button[text()='Show']"));
            assertTrue(browser.text(By.tagName("table")).contains("mismatch"), browser.text(By.tagName("table")));
            show.click();
            browser.until(d -> d.findElement(By.cssSelector("div.receipt")).getText().contains("edited payload"),
                    "the receipt shows the approver's edit");
            String receipt = browser.text(By.cssSelector("div.receipt"));
            assertTrue(receipt.contains("by arthur") && receipt.contains("\"discount\":5")
                    && receipt.contains("mismatch"), receipt);
            browser.screenshot("13-agent-receipt");
        }
    }

    @Test
    void a_compliance_officer_sees_a_refused_rule_file_with_its_line() throws Exception {
        Path rules = RulesFolder.copyOfShipped();
        try (TestServer own = TestServer.start("console_compliance", c -> c.withRulesDir(rules))) {
            String compliance = own.token(own.defaultOrganizationId(), "cora", "COMPLIANCE");
            RulesFolder.write(rules.resolve("blueprint/broken.drl"), """
                    package blueprint.broken

                    rule "BP-BRK-001 broken" when then this is not drl
                    """);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    !own.get("/api/rules/status", compliance).json().path("lastRefusal").isNull());
            try (Browser browser = Browser.open()) {
                browser.signIn(own, compliance);
                WebElement refusal = browser.waitFor(By.cssSelector("#last-refusal tr.refusal"));
                assertTrue(refusal.getText().contains("blueprint/broken.drl"), refusal.getText());
                assertTrue(refusal.findElement(By.cssSelector("td.line")).getText().matches("[1-9][0-9]*"),
                        refusal.getText());
                browser.screenshot("12-compliance-refusal");

                browser.click(By.cssSelector("a[href='#/compliance?tab=audit']"));
                browser.waitFor(By.cssSelector("table.audit"));
                browser.click(By.id("verify-button"));
                browser.until(d -> d.findElement(By.id("verify")).getText().contains("intact"), "the audit verifies");
                assertTrue(browser.driver().findElement(By.id("export")).getAttribute("href").contains("/api/audit/export"));
                browser.screenshot("13-audit");
            }
        }
    }

    @Test
    void the_designer_fits_a_tablet() {
        try (Browser browser = Browser.open()) {
            browser.resize(820, 1180);
            browser.signIn(server, pm);
            browser.go(server.url("/#/design?template=kyc-refresh"));
            browser.waitFor(By.id("verdict"));
            browser.click(By.xpath("//ol[@class='stepper']//button[contains(., 'Actions')]"));
            browser.waitFor(By.id("f-actionConfig-requiredApprovals"));
            browser.screenshot("14-designer-tablet");
            Object overflow = ((JavascriptExecutor) browser.driver()).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertEquals(0L, ((Number) overflow).longValue(), "no sideways scrolling at 820 px");
        }
    }
}
