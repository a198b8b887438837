package dev.agentfactory.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.agentfactory.outbox.Signatures;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import dev.agentfactory.web.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Agents and people learn the outcome: signed callbacks through the outbox, and the SSE stream. */
class CallbackAndStreamTest {
    record Received(String body, String signature, String event) {
    }

    @Test
    void a_callback_is_retried_until_delivered_survives_a_restart_and_its_signature_verifies() throws Exception {
        AtomicInteger failuresLeft = new AtomicInteger(2);
        List<Received> delivered = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            attempts.incrementAndGet();
            int status = failuresLeft.getAndDecrement() > 0 ? 503 : 200;
            if (status == 200) {
                delivered.add(new Received(body, exchange.getRequestHeaders().getFirst(Signatures.HEADER),
                        exchange.getRequestHeaders().getFirst("X-AgentFactory-Event")));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        String callback = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        TestServer server = TestServer.start("callbacks", c -> c.withCallbackHosts(Set.of("127.0.0.1")));
        try {
            String pm = server.token(server.defaultOrganizationId(), "cal", "PM");
            Map<String, Object> blueprint = Blueprints.with(Blueprints.valid("Calls back"), "actionConfig", "callbackUrl",
                    callback);
            String id = Agents.create(server, pm, Blueprints.with(blueprint, "actionConfig", "overrideMode", "AlwaysAsk"));
            HttpResult deployed = server.post("/api/agents/" + id + "/deploy", pm, "");
            assertEquals(201, deployed.status(), deployed.body());
            String secret = deployed.json().get("callbackSecret").asText();
            assertTrue(secret.startsWith("whsec_"));
            assertTrue(!server.get("/api/agents/" + id + "/deployments", pm).body().contains(secret), "shown once");
            String agentToken = Agents.agentToken(server, pm, id);
            JsonNode decision = Agents.propose(server, agentToken, id,
                    Map.of("actionType", "GenerateRecommendation", "confidence", 0.9));
            String approver = server.token(server.defaultOrganizationId(), "abe", "APPROVER");

            failuresLeft.set(1_000);
            server.post("/api/approvals/" + decision.get("approvalId").asText() + "/approve", approver, "");
            awaitAttempts(attempts, 2);
            server = server.restart();
            failuresLeft.set(0);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (delivered.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }

            assertEquals(1, delivered.size(), "delivered once the receiver answers, after a restart in between");
            Received received = delivered.get(0);
            assertEquals(Signatures.sign(secret, received.body()), received.signature());
            assertEquals("approval.approved", received.event());
            JsonNode payload = Json.read(received.body(), JsonNode.class);
            assertEquals(decision.get("decisionId").asText(), payload.get("decisionId").asText());
            assertEquals("approved", payload.get("status").asText());
            assertTrue(attempts.get() >= 3);
            Thread.sleep(1500);
            assertEquals(1, delivered.size(), "no second delivery once it succeeded");
        } finally {
            server.close();
            receiver.stop(0);
        }
    }

    @Test
    void a_callback_to_a_host_off_the_allow_list_is_refused_at_validation() {
        try (TestServer server = TestServer.start("ssrf", c -> c.withCallbackHosts(Set.of("hooks.example.com")))) {
            String pm = server.token(server.defaultOrganizationId(), "sam", "PM");
            Map<String, Object> blueprint = Blueprints.with(Blueprints.valid("SSRF"), "actionConfig", "callbackUrl",
                    "http://169.254.169.254/latest/meta-data/");
            JsonNode report = server.post("/api/validation/agent", pm, blueprint).json();
            assertEquals(false, report.get("valid").asBoolean());
            assertTrue(report.toString().contains("BP-SEC-006"), report.toString());
            assertEquals(400, server.post("/api/agents", pm, Blueprints.with(blueprint, "actionConfig", "callbackUrl",
                    "file:///etc/passwd")).status());
        }
    }

    @Test
    void the_stream_carries_queue_changes_of_the_callers_organization_only() throws Exception {
        try (TestServer server = TestServer.start("stream")) {
            String org = server.organization("streamers");
            String pm = server.token(org, "sue", "PM");
            String approver = server.token(org, "sid", "APPROVER");
            String outsider = server.token(server.organization("others"), "oz", "APPROVER");
            LinkedBlockingQueue<String> mine = stream(server, approver);
            LinkedBlockingQueue<String> theirs = stream(server, outsider);

            String id = Agents.createAndDeploy(server, pm, Blueprints.with(Blueprints.valid("Streamed"),
                    "actionConfig", "overrideMode", "AlwaysAsk"));
            JsonNode decision = Agents.propose(server, Agents.agentToken(server, pm, id), id,
                    Map.of("actionType", "GenerateRecommendation", "confidence", 0.9));
            String approvalId = decision.get("approvalId").asText();
            JsonNode created = next(mine, "created");
            assertEquals(approvalId, created.get("approvalId").asText());
            server.post("/api/approvals/" + approvalId + "/approve", approver, "");
            JsonNode decided = next(mine, "decided");
            assertEquals("approved", decided.get("status").asText());
            assertEquals(null, theirs.poll(500, TimeUnit.MILLISECONDS), "another organization hears nothing");
            assertEquals(401, server.get("/api/approvals/stream", null).status());
            HttpResult notAsked = server.get("/api/approvals/stream", approver);
            assertEquals(406, notAsked.status(), "without Accept: text/event-stream it says so instead of an empty 200");
            assertTrue(notAsked.body().contains("text/event-stream"), notAsked.body());
        }
    }

    private static LinkedBlockingQueue<String> stream(TestServer server, String token) throws Exception {
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url("/api/approvals/stream")))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        lines.add(line.substring(5).trim());
                    }
                }
            } catch (Exception e) {
                // the stream ends with the test
            }
        });
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(300);
        return lines;
    }

    private static JsonNode next(LinkedBlockingQueue<String> lines, String type) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                JsonNode event = Json.read(line, JsonNode.class);
                if (event.get("type").asText().equals(type)) {
                    return event;
                }
            }
        }
        throw new AssertionError("no '" + type + "' event arrived");
    }

    private static void awaitAttempts(AtomicInteger attempts, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (attempts.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(attempts.get() >= count, "attempts: " + attempts.get());
    }
}
