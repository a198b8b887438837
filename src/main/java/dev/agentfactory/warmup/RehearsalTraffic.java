package dev.agentfactory.warmup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.web.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * What a rehearsal asks of the throwaway copy, over HTTP as agents do: a throwaway agent is created,
 * deployed and given an AGENT token, then it proposes actions from several connections at once until the
 * time is up. The actions take the busiest path (executed at once, one durable insert with its audit entry).
 */
final class RehearsalTraffic {
    /**
     * Connections proposing at once. Few on purpose: the JIT's compiler threads need CPU while the copy
     * runs. On the project's 2-core machine, 3 connections left the server closer to its warm rate in its
     * first 10 s (69% to 91% of it over six runs) than 8 (72% to 76%, four runs) or 16 (66%, one run).
     */
    static final int CONNECTIONS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Map<String, Object> BLUEPRINT = Map.of("name", "Warm-up rehearsal",
            "description", "A throwaway agent: it lives in a throwaway schema for the length of a warm-up.",
            "goal", "Propose actions so the server compiles its decision path before it is ready",
            "triggerConfig", Map.of("eventTriggers", List.of("lead.created")),
            "contextConfig", Map.of("requiredContextTypes", List.of("ContactProfile")),
            "actionConfig", Map.of("allowedActionTypes", List.of("GenerateRecommendation", "SendEmail")),
            "promptConfig", Map.of("promptTemplateId", "rehearsal"));

    private final String base;
    private final String adminToken;
    private final HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

    RehearsalTraffic(String base, String adminToken) {
        this.base = base;
        this.adminToken = adminToken;
    }

    /**
     * Proposes actions for {@code length}; {@code progress} hears the count of decisions so far.
     *
     * @throws IOException when the copy refuses the agent, a token or an action: the rehearsal is off
     */
    void drive(Duration length, LongConsumer progress) throws IOException, InterruptedException {
        String agentId = post("/api/agents", adminToken, Json.write(BLUEPRINT), 201).get("id").asText();
        post("/api/agents/" + agentId + "/deploy", adminToken, "", 201);
        String token = post("/api/tokens", adminToken, Json.write(Map.of("principal", "warm-up-rehearsal",
                "roles", List.of("AGENT"), "agentId", agentId)), 201).get("token").asText();
        long deadline = System.nanoTime() + length.toNanos();
        AtomicLong decided = new AtomicLong();
        ExecutorService connections = Executors.newFixedThreadPool(CONNECTIONS, runnable -> {
            Thread thread = new Thread(runnable, "warm-up-traffic");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int connection = c;
                running.add(connections.submit(() -> {
                    for (long i = 0; System.nanoTime() < deadline; i++) {
                        JsonNode answer = post("/api/agents/" + agentId + "/actions", token, action(connection, i), 200);
                        String decision = answer.path("decisions").path(0).path("decision").asText();
                        if (!decision.equals("EXECUTE")) {
                            // this server's rules decide otherwise: nothing may wait for a human in the copy
                            throw new IOException("the rules decided " + decision + ", not EXECUTE, for the rehearsal's "
                                    + "action");
                        }
                        progress.accept(decided.incrementAndGet());
                    }
                    return null;
                }));
            }
            for (Future<Void> one : running) {
                one.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
        } finally {
            connections.shutdownNow();
        }
    }

    /** An action the shipped rules execute at once, varied a little as real traffic is. */
    private static String action(int connection, long i) {
        return Json.write(Map.of("traceId", "warm-up-" + connection + "-" + i, "actions", List.of(Map.of(
                "actionType", "GenerateRecommendation", "confidence", 0.93,
                "contactId", "c-" + (i % 50), "contextTypes", List.of("ContactProfile"),
                "payload", Map.of("listingId", "L-" + (i % 20)), "reasoning", "the lead viewed three listings"))));
    }

    private JsonNode post(String path, String token, String body, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IOException("POST " + path + " answered " + response.statusCode() + ": "
                    + response.body().lines().findFirst().orElse(""));
        }
        return response.body().isEmpty() ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(response.body());
    }
}
