package dev.agentfactory.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Replay and shadow mode (issue 16). Replay throughput: N stored decisions (default 100,000; a mix of
 * InnerWorld, Hybrid and RealWorld actions, seeded by SQL) re-decided by {@code POST /api/impact}
 * against the serving bundle, a cold and a warm run, decisions/s as the report measures it. The cost
 * of shadow mode on live decisions: warm decision throughput and p99 at 16 connections without a
 * shadow and with one running (the serving bundle as its candidate: every decision is shadowed).
 * Run: {@code bench/run.sh ReplayBench "[decisions] [seconds]"}.
 */
public final class ReplayBench {
    private static final String ACTION = "{\"traceId\":\"bench\",\"actions\":[{\"actionType\":\"GenerateRecommendation\","
            + "\"confidence\":0.93,\"contactId\":\"c-1\",\"contextTypes\":[\"ContactProfile\"],"
            + "\"payload\":{\"listingId\":\"L-1\"},\"reasoning\":\"the lead viewed three listings\"}]}";
    private static final int WARM_UP_SECONDS = 60;

    public static void main(String[] arguments) throws Exception {
        String[] args = String.join(" ", arguments).trim().split("\\s+");
        long decisions = args.length > 0 && !args[0].isBlank() ? Long.parseLong(args[0]) : 100_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Path rules = ServerProcess.copyOfRules();
        try (ServerProcess server = ServerProcess.onFreshDatabase("af_bench_replay", rules)) {
            server.start();
            Http admin = new Http(server.base(), ServerProcess.TOKEN);
            String agentId = admin.post("/api/agents", Map.of("name", "Bench agent", "description", "d", "goal", "g",
                    "triggerConfig", Map.of("eventTriggers", List.of("lead.created")),
                    "contextConfig", Map.of("requiredContextTypes", List.of("ContactProfile")),
                    "actionConfig", Map.of("allowedActionTypes",
                            List.of("GenerateRecommendation", "EscalateLead", "SendEmail")),
                    "promptConfig", Map.of("promptTemplateId", "t"))).json().get("id").asText();
            require(admin.post("/api/agents/" + agentId + "/deploy", ""), 201);
            seed(server, admin, agentId, decisions);

            for (String run : List.of("cold", "warm")) {
                Http.Response replayed = admin.post("/api/impact", Map.of("limit", Math.min(decisions, 100_000),
                        "samples", 0));
                require(replayed, 200);
                JsonNode report = replayed.json();
                System.out.printf("replay (%s): %,d decisions in %,d ms = %,.0f decisions/s, %d flipped%n", run,
                        report.get("replayed").asLong(), report.get("millis").asLong(),
                        report.get("decisionsPerSecond").asDouble(), report.get("flipped").asLong());
            }

            String token = admin.post("/api/tokens", Map.of("principal", "bench-agent", "roles", List.of("AGENT"),
                    "agentId", agentId)).json().get("token").asText();
            String url = server.base() + "/api/agents/" + agentId + "/actions";
            Wrk.run(url, token, ACTION, 16, WARM_UP_SECONDS);
            Wrk.Result without = Wrk.run(url, token, ACTION, 16, seconds);
            System.out.println("decisions without a shadow: " + without);
            String version = admin.get("/api/rules/status").json().get("version").asText();
            Http.Response shadow = admin.post("/api/shadows", Map.of("bundleVersion", version));
            require(shadow, 201);
            String shadowId = shadow.json().get("id").asText();
            Wrk.Result with = Wrk.run(url, token, ACTION, 16, seconds);
            System.out.println("decisions with a shadow running: " + with);
            JsonNode report = admin.get("/api/shadows/" + shadowId + "?limit=0").json();
            System.out.printf("shadow: %.0f%% of the throughput without, p99 %.1f -> %.1f ms; evaluated %d, skipped %d, "
                            + "differed %d%n", 100 * with.requestsPerSecond() / without.requestsPerSecond(),
                    without.p99Ms(), with.p99Ms(), report.get("evaluated").asLong(), report.get("skipped").asLong(),
                    report.get("differed").asLong());
        }
    }

    /** N decisions over the last days, a third each of InnerWorld, Hybrid and RealWorld actions. */
    private static void seed(ServerProcess server, Http admin, String agentId, long count) throws Exception {
        String organization = admin.get("/api/me").json().get("organizationId").asText();
        long started = System.nanoTime();
        try (Connection connection = DriverManager.getConnection(server.databaseUrl(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("""
                    insert into decisions (id, organization_id, agent_id, deployment_id, blueprint_version,
                        rule_set_version, action_type, scope, decision, status, risk_score, confidence, contact_id,
                        reasons, rules_fired, input, created_at)
                    select gen_random_uuid(), '%s', '%s', (select deployment_id from blueprints where id = '%s'), 1,
                        'seeded', t.type, 'Hybrid', 'EXECUTE', 'EXECUTE', 0.1, 0.93, 'c-' || g, '[]', '[]',
                        jsonb_build_object('actionType', t.type, 'confidence', 0.6 + (g %% 40) / 100.0,
                            'contactId', 'c-' || g, 'contextTypes', '["ContactProfile"]'::jsonb,
                            'payload', jsonb_build_object('listingId', 'L-' || g),
                            'reasoning', 'the lead viewed three listings'),
                        now() - make_interval(secs => g)
                      from generate_series(1, %d) g,
                           lateral (select (array['GenerateRecommendation', 'EscalateLead', 'SendEmail'])[1 + g %% 3]
                                    as type) t
                    """.formatted(organization, agentId, agentId, count));
            statement.execute("analyze decisions");
        }
        System.out.printf("seeded %,d decisions in %,d ms%n", count, (System.nanoTime() - started) / 1_000_000);
    }

    private static void require(Http.Response response, int status) {
        if (response.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + response.status() + ": " + response.body());
        }
    }
}
