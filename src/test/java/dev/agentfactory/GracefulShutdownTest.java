package dev.agentfactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Stopping the server (SIGTERM runs the same close) lets a request in flight finish, and stores its decision. */
class GracefulShutdownTest {

    @Test
    void a_request_in_flight_finishes_when_the_server_stops() throws Exception {
        HttpServer slowLlm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slowLlm.createContext("/v1/chat/completions", exchange -> {
            try {
                Thread.sleep(1_500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"choices\":[{\"message\":{\"content\":\"{\\\"requireHuman\\\": false, \\\"reason\\\": \\\"ok\\\"}\"}}]}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        slowLlm.start();
        String url = "http://127.0.0.1:" + slowLlm.getAddress().getPort() + "/v1";
        TestServer server = TestServer.start("drain", c -> c.withLlm(new Config.Llm(Optional.of(url), "m",
                Optional.empty(), Duration.ofSeconds(5))));
        try {
            String pm = server.token(server.defaultOrganizationId(), "dan", "PM");
            Map<String, Object> blueprint = Blueprints.with(Blueprints.valid("Slow to decide"), "actionConfig",
                    "overrideMode", "LLMDecision");
            String id = Agents.createAndDeploy(server, pm, Blueprints.with(blueprint, "actionConfig",
                    "allowedActionTypes", List.of("GenerateRecommendation")));
            String token = Agents.agentToken(server, pm, id);
            TestServer running = server;
            CompletableFuture<HttpResult> inFlight = CompletableFuture.supplyAsync(() -> running.post(
                    "/api/agents/" + id + "/actions", token,
                    Map.of("actions", List.of(Map.of("actionType", "GenerateRecommendation", "confidence", 0.9)))));
            Thread.sleep(500);

            server.close();

            HttpResult result = inFlight.get();
            assertEquals(200, result.status(), result.body());
            assertEquals("EXECUTE", result.json().at("/decisions/0/decision").asText());
            assertTrue(result.json().at("/decisions/0/reasons").toString().contains("ok"));
        } finally {
            slowLlm.stop(0);
        }
    }
}
