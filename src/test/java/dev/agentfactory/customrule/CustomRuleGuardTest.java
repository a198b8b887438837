package dev.agentfactory.customrule;

import static dev.agentfactory.support.CustomRules.actionExample;
import static dev.agentfactory.support.CustomRules.actionRule;
import static dev.agentfactory.support.CustomRules.blueprintExample;
import static dev.agentfactory.support.CustomRules.blueprintRule;
import static dev.agentfactory.support.CustomRules.finding;
import static dev.agentfactory.support.CustomRules.leaf;
import static dev.agentfactory.support.CustomRules.risk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.support.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Even shared rules written so that a custom rule's facts would switch them off cannot let a
 * custom rule take a rejection or an error away: what the shared rules found without the custom
 * facts still counts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomRuleGuardTest {
    /** Shared rules that only hold while no custom fact is around. */
    private static final String FRAGILE = """
            package actions.fragile;
            import dev.agentfactory.rules.model.*;

            rule "TST-001 probes are rejected unless something explains them"
                @tier(1) @severity("ERROR") @description("a rule a custom explanation would switch off")
            when
                ProposedAction( actionType == "ProbeGuard" )
                not Explanation()
            then
                insert(Rejection.of(drools, "probes are rejected"));
            end

            rule "TST-002 a guard goal is an error unless a custom rule found something"
                @tier(1) @severity("ERROR") @description("a rule a custom finding would switch off")
            when
                BlueprintFact( goal == "guard" )
                not Finding( category == "custom" )
            then
                insert(Results.finding(drools, "guard goals are errors", "goal"));
            end
            """;

    private TestServer server;

    @BeforeAll
    void start() {
        Path rules = RulesFolder.copyOfShipped();
        RulesFolder.write(rules.resolve("actions/fragile.drl"), FRAGILE);
        server = TestServer.start("customruleguard", c -> c.withRulesDir(rules));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void a_custom_fact_cannot_switch_off_a_shared_rejection_or_error() {
        String org = server.organization("guarded");
        String pm = server.token(org, "pat", "PM");
        String compliance = server.token(org, "cora", "COMPLIANCE");
        String agentId = Agents.createAndDeploy(server, pm, Blueprints.with(Blueprints.valid("Guarded"), "actionConfig",
                "allowedActionTypes", List.of("ProbeGuard", "GenerateRecommendation")));
        String agent = Agents.agentToken(server, pm, agentId);
        Map<String, Object> probe = Map.of("actionType", "ProbeGuard", "confidence", 0.95);
        Map<String, Object> guardGoal = Blueprints.with(Blueprints.valid("Guard"), null, "goal", "guard");
        assertEquals("REJECT", Agents.propose(server, agent, agentId, probe).get("decision").asText());
        assertFalse(server.post("/api/validation/agent", pm, guardGoal).json().get("valid").asBoolean());

        HttpResult explains = server.post("/api/validation/rules", compliance, actionRule("probes-carry-risk",
                leaf("actionType", "==", "ProbeGuard"), risk(0.1, "probes carry risk"),
                List.of(actionExample("fires", "ProbeGuard", 0.9))));
        HttpResult finds = server.post("/api/validation/rules", compliance, blueprintRule("guard-goals-noted",
                leaf("goal", "==", "guard"), finding("INFO", "goal", "guard goal noted"),
                List.of(blueprintExample("fires", Map.of("goal", "guard")))));
        assertEquals(201, explains.status(), explains.body());
        assertEquals(201, finds.status(), finds.body());

        JsonNode decision = Agents.propose(server, agent, agentId, probe);
        JsonNode report = server.post("/api/validation/agent", pm, guardGoal).json();

        assertEquals("REJECT", decision.get("decision").asText(), decision.toString());
        assertTrue(Agents.texts(decision.get("reasons")).contains("probes are rejected"), decision.toString());
        assertTrue(Agents.texts(decision.get("rulesFired")).contains("CUS-1"), decision.toString());
        assertFalse(report.get("valid").asBoolean(), report.toString());
        assertTrue(report.get("findings").toString().contains("guard goals are errors"), report.toString());
        assertTrue(report.get("findings").toString().contains("guard goal noted"), report.toString());
    }
}
