package dev.agentfactory.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.agentfactory.Config;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import dev.agentfactory.web.Json;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What a decision depended on at the time (the LLM's answer, a pause, a used-up cap) is replayed as it was. */
class ReplayAsRecordedTest {

    @Test
    void the_llm_answer_a_pause_and_a_refused_cap_are_replayed_as_recorded_not_re_decided() throws Exception {
        AtomicBoolean human = new AtomicBoolean(false);
        HttpServer llm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        llm.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String content = "{\"requireHuman\": " + human.get() + ", \"reason\": \"the test says so\"}";
            byte[] body = Json.write(Map.of("id", "x", "choices", List.of(Map.of("index", 0,
                    "message", Map.of("role", "assistant", "content", content))))).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        llm.start();
        String url = "http://127.0.0.1:" + llm.getAddress().getPort() + "/v1";
        try (TestServer server = TestServer.start("asrecorded", c -> c.withLlm(new Config.Llm(Optional.of(url),
                "test-model", Optional.of("sk-test"), Duration.ofSeconds(2))))) {
            String pm = server.token(server.defaultOrganizationId(), "lou", "PM");
            Map<String, Object> asking = Blueprints.with(Blueprints.valid("LLM decides"), "actionConfig", "overrideMode",
                    "LLMDecision");
            String llmAgent = Agents.createAndDeploy(server, pm, Blueprints.with(asking, "actionConfig",
                    "allowedActionTypes", List.of("GenerateRecommendation")));
            JsonNode waved = Agents.propose(server, Agents.agentToken(server, pm, llmAgent), llmAgent,
                    Map.of("actionType", "GenerateRecommendation", "confidence", 0.9));
            assertEquals("EXECUTE", waved.get("decision").asText(), waved.toString());

            Map<String, Object> capped = Blueprints.with(Blueprints.valid("Capped"), "actionConfig",
                    "allowedActionTypes", List.of("GenerateRecommendation"));
            String cappedAgent = Agents.createAndDeploy(server, pm, Blueprints.with(capped, "actionConfig",
                    "actionConstraints", Map.of("maxDailyActions", 1)));
            String token = Agents.agentToken(server, pm, cappedAgent);
            Map<String, Object> action = Map.of("actionType", "GenerateRecommendation", "confidence", 0.9);
            assertEquals("EXECUTE", Agents.propose(server, token, cappedAgent, action).get("decision").asText());
            assertEquals(200, server.post("/api/agents/" + cappedAgent + "/pause", pm, "").status());
            JsonNode paused = Agents.propose(server, token, cappedAgent, action);
            assertTrue(Agents.texts(paused.get("rulesFired")).contains("T1-001"), paused.toString());
            assertEquals(200, server.post("/api/agents/" + cappedAgent + "/resume", pm, "").status());
            JsonNode overCap = Agents.propose(server, token, cappedAgent, action);
            assertEquals("REJECT", overCap.get("decision").asText(), overCap.toString());

            // the LLM would now ask for a human: replay does not ask it again
            human.set(true);
            String officer = server.token(server.defaultOrganizationId(), "olga", "COMPLIANCE");
            HttpResult impact = server.post("/api/impact", officer, Map.of());
            assertEquals(200, impact.status(), impact.body());
            JsonNode report = impact.json();
            assertEquals(4, report.get("replayed").asInt(), report.toString());
            assertEquals(0, report.get("flipped").asInt(), report.toString());
            JsonNode recorded = report.get("replayedAsRecorded");
            assertEquals(1, recorded.get("llmAnswers").asInt(), recorded.toString());
            assertEquals(1, recorded.get("paused").asInt(), recorded.toString());
            assertEquals(1, recorded.get("refusedConstraints").asInt(), recorded.toString());

            JsonNode explain = server.get("/api/agents/" + cappedAgent + "/decisions/"
                    + overCap.get("decisionId").asText() + "/explain", officer).json();
            assertTrue(explain.get("reproduced").asBoolean(), explain.toString());
            assertEquals("DAILY", explain.get("deciding").get(0).get("ruleId").asText(), explain.toString());
            JsonNode llmExplain = server.get("/api/agents/" + llmAgent + "/decisions/"
                    + waved.get("decisionId").asText() + "/explain", officer).json();
            assertTrue(llmExplain.get("reproduced").asBoolean(), llmExplain.toString());
            assertTrue(llmExplain.get("replayedAsRecorded").get(0).asText().contains("no human needed"),
                    llmExplain.toString());
        } finally {
            llm.stop(0);
        }
    }
}
