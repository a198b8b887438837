package dev.agentfactory.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An approver clears a queue of 1,000 pending requests through the API (votes per second), then
 * the listing latency is measured with 100,000 requests in the table. Run: {@code bench/run.sh ApprovalBench}.
 */
public final class ApprovalBench {
    public static void main(String[] args) throws Exception {
        try (ServerProcess server = ServerProcess.onFreshDatabase("af_bench_approvals")) {
            server.start();
            Http admin = new Http(server.base(), ServerProcess.TOKEN);
            String id = admin.post("/api/agents", Map.of("name", "Queue filler", "description", "d", "goal", "g",
                    "triggerConfig", Map.of("eventTriggers", List.of("lead.created")),
                    "actionConfig", Map.of("allowedActionTypes", List.of("GenerateRecommendation"),
                            "overrideMode", "AlwaysAsk"),
                    "promptConfig", Map.of("promptTemplateId", "t"))).json().get("id").asText();
            admin.post("/api/agents/" + id + "/deploy", "");
            Http agent = admin.as(token(admin, "filler", "AGENT", id));
            Http approver = admin.as(token(admin, "bench-approver", "APPROVER", null));

            List<Map<String, Object>> actions = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                actions.add(Map.of("actionType", "GenerateRecommendation", "confidence", 0.9, "contactId", "c-" + i));
            }
            long filling = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                require(agent.post("/api/agents/" + id + "/actions", Map.of("actions", actions)), 200);
            }
            System.out.printf("1,000 pending requests raised through the API in %d ms%n",
                    (System.nanoTime() - filling) / 1_000_000);

            long clearing = System.nanoTime();
            int votes = 0;
            List<Double> voteMillis = new ArrayList<>();
            while (true) {
                JsonNode page = approver.get("/api/approvals?status=pending&limit=100").json();
                if (page.get("items").isEmpty()) {
                    break;
                }
                for (JsonNode item : page.get("items")) {
                    long started = System.nanoTime();
                    require(approver.post("/api/approvals/" + item.get("id").asText() + "/approve", ""), 200);
                    voteMillis.add((System.nanoTime() - started) / 1_000_000.0);
                    votes++;
                }
            }
            double seconds = (System.nanoTime() - clearing) / 1e9;
            System.out.printf("queue of 1,000 cleared through the API by one approver: %d votes in %.1f s = %.0f votes/s"
                    + " (vote latency %s)%n", votes, seconds, votes / seconds,
                    new Stats(voteMillis.stream().mapToDouble(Double::doubleValue).toArray()).summary("ms"));

            fill(server, id, 100_000);
            for (String query : List.of("/api/approvals?status=pending&limit=50",
                    "/api/approvals?status=pending&limit=50&page=100",
                    "/api/approvals?status=approved&limit=50&actionType=GenerateRecommendation")) {
                for (int i = 0; i < 20; i++) {
                    approver.get(query);
                }
                double[] millis = new double[200];
                for (int i = 0; i < millis.length; i++) {
                    long started = System.nanoTime();
                    require(approver.get(query), 200);
                    millis[i] = (System.nanoTime() - started) / 1_000_000.0;
                }
                System.out.printf("listing %s with 101,000 requests in the table: %s%n", query,
                        new Stats(millis).summary("ms"));
            }
        }
    }

    /** 100,000 more requests, written straight into the table: 10% pending, the rest decided. */
    private static void fill(ServerProcess server, String agentId, int count) throws Exception {
        try (Connection connection = DriverManager.getConnection(server.databaseUrl(), "postgres", "")) {
            connection.createStatement().execute("""
                    insert into approvals (organization_id, kind, agent_id, status, required_approvals, approver_role,
                                           priority, risk_score, summary, reasons, requested_by, created_at, expires_at)
                    select b.organization_id, 'ACTION', b.id,
                           case when g %% 10 = 0 then 'pending' else 'approved' end, 1, 'APPROVER', g %% 3,
                           (g %% 100) / 100.0, '{"actionType": "GenerateRecommendation"}', '["bench"]', 'filler',
                           now() - make_interval(secs => g), now() + interval '1 day'
                      from blueprints b, generate_series(1, %d) g
                     where b.id = '%s'
                    """.formatted(count, agentId));
            connection.createStatement().execute("analyze approvals");
        }
    }

    private static String token(Http admin, String principal, String role, String agentId) throws Exception {
        Map<String, Object> body = agentId == null ? Map.of("principal", principal, "roles", List.of(role))
                : Map.of("principal", principal, "roles", List.of(role), "agentId", agentId);
        return admin.post("/api/tokens", body).json().get("token").asText();
    }

    private static Http.Response require(Http.Response response, int status) {
        if (response.status() != status) {
            throw new IllegalStateException(response.status() + " " + response.body());
        }
        return response;
    }
}
