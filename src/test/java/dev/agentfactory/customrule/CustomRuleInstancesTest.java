package dev.agentfactory.customrule;

import static dev.agentfactory.support.CustomRules.actionExample;
import static dev.agentfactory.support.CustomRules.actionRule;
import static dev.agentfactory.support.CustomRules.leaf;
import static dev.agentfactory.support.CustomRules.requireApproval;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Servers sharing one database converge on each organization's custom rules. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomRuleInstancesTest {
    private TestServer first;
    private TestServer second;

    @BeforeAll
    void start() {
        first = TestServer.start("customruleinstances");
    }

    @AfterAll
    void stop() {
        if (second != null) {
            second.close();
        }
        first.close();
    }

    @Test
    void a_rule_changed_on_one_server_decides_on_the_other_too() {
        String org = first.organization("shared-db");
        String pm = first.token(org, "pat", "PM");
        String compliance = first.token(org, "cora", "COMPLIANCE");
        String agentId = Agents.createAndDeploy(first, pm, Blueprints.with(Blueprints.valid("Twin agent"),
                "actionConfig", "allowedActionTypes", List.of("GenerateRecommendation")));
        second = first.twin();
        Map<String, Object> whatIf = Map.of("agentId", agentId,
                "action", Map.of("actionType", "GenerateRecommendation", "confidence", 0.95));
        assertEquals("EXECUTE", decision(second, pm, whatIf));

        HttpResult created = first.post("/api/validation/rules", compliance, actionRule("recommendations-need-a-human",
                leaf("actionType", "==", "GenerateRecommendation"), requireApproval("a human reviews recommendations"),
                List.of(actionExample("fires", "GenerateRecommendation", 0.9))));
        assertEquals(201, created.status(), created.body());

        assertEquals("REQUIRE_APPROVAL", decision(first, pm, whatIf), "at once on the server that changed it");
        await().atMost(Duration.ofSeconds(15)).until(() -> decision(second, pm, whatIf).equals("REQUIRE_APPROVAL"));

        assertEquals(204, first.delete("/api/validation/rules/" + created.json().get("id").asText(), compliance).status());
        await().atMost(Duration.ofSeconds(15)).until(() -> decision(second, pm, whatIf).equals("EXECUTE"));
    }

    private static String decision(TestServer server, String token, Map<String, Object> whatIf) {
        JsonNode answer = server.post("/api/validation/action", token, whatIf).json();
        return answer.get("decision").asText();
    }
}
