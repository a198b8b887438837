package dev.agentfactory.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.TestServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The override-mode matrix of DESIGN section 2 over HTTP: every mode × scope × confidence above or
 * below the scope's floor × high-risk or not. The expected decision is worked out here from the
 * design's table, independently of the rules. No LLM is configured, so LLMDecision decides as RiskBased.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DecisionMatrixTest {
    private static final List<String> MODES = List.of("AlwaysAsk", "NeverAsk", "RiskBased", "LLMDecision");
    private static final Map<String, String> ACTION_OF_SCOPE = Map.of(
            "InnerWorld", "GenerateRecommendation", "Hybrid", "EscalateLead", "RealWorld", "SendEmail");
    private static final Map<String, Double> FLOOR = Map.of("InnerWorld", 0.5, "Hybrid", 0.7, "RealWorld", 0.8);

    private TestServer server;
    private final Map<String, String> agentTokens = new HashMap<>();
    private final Map<String, String> agentIds = new HashMap<>();

    @BeforeAll
    void deployOneAgentPerModeAndHighRiskSetting() {
        server = TestServer.start("matrix");
        for (String mode : MODES) {
            for (boolean highRisk : new boolean[] {false, true}) {
                Map<String, Object> blueprint = Blueprints.valid("Matrix " + mode + (highRisk ? " high-risk" : ""));
                blueprint = Blueprints.with(blueprint, "actionConfig", "allowedActionTypes",
                        List.copyOf(ACTION_OF_SCOPE.values()));
                blueprint = Blueprints.with(blueprint, "actionConfig", "overrideMode", mode);
                blueprint = Blueprints.with(blueprint, "actionConfig", "maxAllowedScope", "RealWorld");
                blueprint = Blueprints.with(blueprint, "validationConfig", "minConfidenceThreshold", 0.5);
                blueprint = Blueprints.with(blueprint, "validationConfig", "highRiskActionTypes",
                        highRisk ? List.copyOf(ACTION_OF_SCOPE.values()) : List.of());
                // An admin deploys: NeverAsk with real-world actions needs one (BP-SEC-004).
                String id = Agents.createAndDeploy(server, TestServer.ADMIN_TOKEN, blueprint);
                agentIds.put(mode + highRisk, id);
                agentTokens.put(mode + highRisk, Agents.agentToken(server, TestServer.ADMIN_TOKEN, id));
            }
        }
    }

    @AfterAll
    void stop() {
        server.close();
    }

    Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (String mode : MODES) {
            for (String scope : List.of("InnerWorld", "Hybrid", "RealWorld")) {
                for (boolean belowFloor : new boolean[] {false, true}) {
                    for (boolean highRisk : new boolean[] {false, true}) {
                        cases.add(Arguments.of(mode, scope, belowFloor, highRisk, expected(mode, scope, belowFloor, highRisk)));
                    }
                }
            }
        }
        return cases.stream();
    }

    /** DESIGN section 2, as a table. */
    private static String expected(String mode, String scope, boolean belowFloor, boolean highRisk) {
        return switch (mode) {
            case "AlwaysAsk" -> "REQUIRE_APPROVAL";
            case "NeverAsk" -> "EXECUTE";
            default -> belowFloor || highRisk || scope.equals("RealWorld") ? "REQUIRE_APPROVAL" : "EXECUTE";
        };
    }

    @ParameterizedTest(name = "{0} {1} belowFloor={2} highRisk={3} -> {4}")
    @MethodSource("matrix")
    void the_override_mode_matrix(String mode, String scope, boolean belowFloor, boolean highRisk, String expected) {
        double confidence = belowFloor ? FLOOR.get(scope) - 0.05 : 0.95;
        JsonNode decision = Agents.propose(server, agentTokens.get(mode + highRisk), agentIds.get(mode + highRisk),
                Map.of("actionType", ACTION_OF_SCOPE.get(scope), "confidence", confidence, "contactId", "c-matrix"));

        assertEquals(expected, decision.get("decision").asText(), decision.toString());
        assertEquals(scope, decision.get("scope").asText());
        assertTrue(decision.get("reasons").size() > 0);
        assertTrue(decision.get("rulesFired").toString().contains("T3-"), decision.toString());
        assertEquals(expected.equals("REQUIRE_APPROVAL"), decision.has("approvalId"), decision.toString());
        if (mode.equals("LLMDecision")) {
            assertTrue(decision.get("reasons").toString().contains("the LLM was not used"), decision.toString());
        }
    }
}
