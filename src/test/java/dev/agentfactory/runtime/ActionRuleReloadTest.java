package dev.agentfactory.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Compliance edits rules/actions; the next decision follows, no restart, no redeploy. */
class ActionRuleReloadTest {

    @Test
    void an_edit_under_rules_actions_changes_the_next_decision() throws Exception {
        Path rules = RulesFolder.copyOfShipped();
        try (TestServer server = TestServer.start("actionreload", c -> c.withRulesDir(rules))) {
            String pm = server.token(server.defaultOrganizationId(), "pia", "PM");
            String id = Agents.createAndDeploy(server, pm, Blueprints.with(Blueprints.valid("Reloaded"), "actionConfig",
                    "allowedActionTypes", List.of("EscalateLead")));
            String token = Agents.agentToken(server, pm, id);
            Map<String, Object> action = Map.of("actionType", "EscalateLead", "confidence", 0.95, "contactId", "c");
            JsonNode before = Agents.propose(server, token, id, action);
            assertEquals("EXECUTE", before.get("decision").asText(), before.toString());

            // Compliance decides hybrid actions are riskier: 0.3 -> 0.8, above the 0.7 threshold.
            Path tier2 = rules.resolve("actions/tier2-risk.drl");
            String text = Files.readString(tier2);
            RulesFolder.write(tier2, text.replace("insert(RiskContribution.of(drools, 0.3, \"Hybrid action\"));",
                    "insert(RiskContribution.of(drools, 0.8, \"Hybrid action\"));"));
            // ...and the rule tests that pinned the old behaviour are updated in the same change.
            Path tests = rules.resolve("tests/actions.json");
            RulesFolder.write(tests, Files.readString(tests)
                    .replace("\"expect\": {\"decision\": \"EXECUTE\", \"scope\": \"Hybrid\"",
                            "\"expect\": {\"decision\": \"REQUIRE_APPROVAL\", \"scope\": \"Hybrid\"")
                    .replace("\"fired\": [\"T2-002\", \"T3-016\"], \"notFired\": [\"T2-001\"],\n                \"riskBelow\": 0.7}",
                            "\"fired\": [\"T2-002\", \"T3-013\"], \"notFired\": [\"T2-001\"]}"));

            JsonNode after = awaitDecision(server, token, id, action, "REQUIRE_APPROVAL");
            assertNotEquals(before.get("ruleSetVersion").asText(), after.get("ruleSetVersion").asText());
            assertEquals(1, after.get("agentVersion").asInt(), "the agent was not redeployed");
        }
    }

    private static JsonNode awaitDecision(TestServer server, String token, String id, Map<String, Object> action,
                                          String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = Agents.propose(server, token, id, action);
            if (last.get("decision").asText().equals(expected)) {
                return last;
            }
            Thread.sleep(100);
        }
        JsonNode status = server.get("/api/rules/status", TestServer.ADMIN_TOKEN).json();
        throw new AssertionError("the decision never became " + expected + "; last " + last + "; rules " + status);
    }
}
