package dev.agentfactory.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deploy latency over HTTP (POST /deploy until the answer says Active) for 100 first deploys and
 * 100 hot reloads, the errors while those redeploys happen under steady event traffic, and the
 * start-up time of the server with 1,000 Active agents. Run: {@code bench/run.sh DeployBench}.
 */
public final class DeployBench {
    private static final int AGENTS = 1_000;

    public static void main(String[] args) throws Exception {
        try (ServerProcess server = ServerProcess.onFreshDatabase("af_bench_deploy")) {
            System.out.printf("cold start, empty database: %d ms to /health 200%n", server.start());
            Http admin = new Http(server.base(), ServerProcess.TOKEN);
            String pm = admin.post("/api/tokens", Map.of("principal", "bench-pm", "roles", List.of("PM")))
                    .json().get("token").asText();
            Http http = admin.as(pm);

            List<String> ids = new ArrayList<>();
            for (int i = 0; i < AGENTS; i++) {
                ids.add(http.post("/api/agents", blueprint("Bench agent " + i, i)).json().get("id").asText());
            }
            for (int i = 0; i < 20; i++) {
                deploy(http, ids.get(i));
            }
            double[] first = new double[100];
            for (int i = 0; i < 100; i++) {
                first[i] = deploy(http, ids.get(20 + i));
            }
            System.out.println("first deploy, HTTP call to Active: " + new Stats(first).summary("ms"));

            String hot = ids.get(0);
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger events = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            ExecutorService traffic = Executors.newSingleThreadExecutor();
            Future<?> sender = traffic.submit(() -> {
                while (running.get()) {
                    try {
                        Http.Response response = http.post("/api/events", Map.of("type", "lead.created", "contactId", "c-1", "data", Map.of("score", 5)));
                        JsonNode activations = response.json().get("activations");
                        boolean reached = false;
                        for (JsonNode a : activations) {
                            reached |= a.get("agentId").asText().equals(hot);
                        }
                        if (response.status() != 200 || !reached) {
                            errors.incrementAndGet();
                        }
                        events.incrementAndGet();
                        Thread.sleep(5);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            });
            double[] reloads = new double[100];
            for (int i = 0; i < 100; i++) {
                http.put("/api/agents/" + hot, blueprint("Bench agent 0 v" + (i + 2), 0));
                reloads[i] = deploy(http, hot);
            }
            running.set(false);
            sender.get();
            traffic.shutdown();
            System.out.println("hot reload (redeploy of an Active agent): " + new Stats(reloads).summary("ms"));
            System.out.printf("events during the 100 hot reloads: %d sent, %d errors or missed activations%n",
                    events.get(), errors.get());

            for (int i = 120; i < AGENTS; i++) {
                deploy(http, ids.get(i));
            }
            server.stop();
            long restart = server.start();
            JsonNode health = http.get("/health").json();
            System.out.printf("restart with %d Active agents: %d ms to /health 200 (agents loaded: %s)%n",
                    AGENTS, restart, health.at("/agents/loaded").asText());
        }
    }

    private static double deploy(Http http, String id) throws Exception {
        long started = System.nanoTime();
        Http.Response response = http.post("/api/agents/" + id + "/deploy", "");
        double millis = (System.nanoTime() - started) / 1_000_000.0;
        if (response.status() != 201 || !response.json().get("status").asText().equals("Active")) {
            throw new IllegalStateException("deploy failed: " + response.status() + " " + response.body());
        }
        return millis;
    }

    private static Map<String, Object> blueprint(String name, int n) {
        return Map.of(
                "name", name,
                "description", "Follows up on new leads",
                "goal", "Book a viewing with every qualified lead",
                "triggerConfig", Map.of("eventTriggers", List.of("lead.created", "lead.updated." + n),
                        "supportedIntents", List.of("schedule_viewing"),
                        "triggerConditions", Map.of("score", Map.of(">=", 0))),
                "contextConfig", Map.of("requiredContextTypes", List.of("ContactProfile"),
                        "optionalContextTypes", List.of("LeadScore")),
                "actionConfig", Map.of("allowedActionTypes", List.of("SendEmail", "GenerateRecommendation", "EscalateLead"),
                        "actionConstraints", Map.of("maxDailyActions", 100, "cooldownPeriod", "1h")),
                "validationConfig", Map.of("highRiskActionTypes", List.of("SendEmail")),
                "promptConfig", Map.of("promptTemplateId", "lead-follow-up-v1"));
    }
}
