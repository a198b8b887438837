package dev.agentfactory.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.util.List;
import java.util.Map;

/**
 * Durable decisions per second over HTTP with wrk (16 connections), next to the ceiling measured
 * in the same run (a bare Javalin endpoint doing the same two durable inserts), on the local
 * PostgreSQL and on the embedded one; latency at steady rates of 50% and 80% of that throughput;
 * and the count of decisions audited in the database. Run: {@code bench/run.sh DecisionBench [seconds]}.
 */
public final class DecisionBench {
    private static final String ACTION = "{\"traceId\":\"bench\",\"actions\":[{\"actionType\":\"GenerateRecommendation\","
            + "\"confidence\":0.93,\"contactId\":\"c-1\",\"contextTypes\":[\"ContactProfile\"],"
            + "\"payload\":{\"listingId\":\"L-1\"},\"reasoning\":\"the lead viewed three listings\"}]}";

    /**
     * Long enough for the JIT to finish: after 20 s the server still spent ~20% of its CPU in the C2
     * compiler (Drools jits rule constraints as it goes) and measured half its steady throughput.
     */
    private static final int WARM_UP_SECONDS = 60;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0]) : 15;
        System.out.printf("cores=%d, wrk -t2 -c16, %d s per run%n", Runtime.getRuntime().availableProcessors(), seconds);

        Wrk.Result ceiling = ceiling(seconds);
        System.out.println("ceiling (bare Javalin + 2 durable inserts): " + ceiling);

        try (ServerProcess server = ServerProcess.onFreshDatabase("af_bench_decisions")) {
            server.start();
            measure("local PostgreSQL", server, ceiling, seconds);
        }
        try (ServerProcess server = ServerProcess.onEmbeddedDatabase()) {
            server.start();
            measure("embedded PostgreSQL", server, ceiling, seconds);
        }
    }

    private static void measure(String label, ServerProcess server, Wrk.Result ceiling, int seconds) throws Exception {
        Http admin = new Http(server.base(), ServerProcess.TOKEN);
        String id = admin.post("/api/agents", Map.of("name", "Bench agent", "description", "d", "goal", "g",
                "triggerConfig", Map.of("eventTriggers", List.of("lead.created")),
                "contextConfig", Map.of("requiredContextTypes", List.of("ContactProfile")),
                "actionConfig", Map.of("allowedActionTypes", List.of("GenerateRecommendation", "SendEmail")),
                "promptConfig", Map.of("promptTemplateId", "t"))).json().get("id").asText();
        admin.post("/api/agents/" + id + "/deploy", "");
        String token = admin.post("/api/tokens", Map.of("principal", "bench-agent", "roles", List.of("AGENT"),
                "agentId", id)).json().get("token").asText();
        String url = server.base() + "/api/agents/" + id + "/actions";

        // The rules engine compiles its constraints to bytecode as it goes: warm the server up first.
        Wrk.run(url, token, ACTION, 16, WARM_UP_SECONDS);
        Wrk.Result result = Wrk.run(url, token, ACTION, 16, seconds);
        System.out.printf("%s, durable decisions: %s = %.0f%% of the ceiling%n", label, result,
                100 * result.requestsPerSecond() / ceiling.requestsPerSecond());
        for (double share : new double[] {0.5, 0.8}) {
            int rate = (int) (result.requestsPerSecond() * share);
            System.out.println(label + ", " + SteadyLoad.run(url, token, ACTION, rate, Math.min(seconds, 10)));
        }
        long stored = admin.get("/api/audit?action=decision.made&limit=1").json().get("total").asLong();
        System.out.printf("%s: %d decisions audited in PostgreSQL (every answered one is stored before the answer)%n",
                label, stored);
        // The hash chain is sealed off the request path: how long the sealer needs to catch up, and a full verify.
        long sealing = System.nanoTime();
        JsonNode report = admin.get("/api/audit/verify").json();
        while (report.at("/organization/unsealed").asLong() > 0) {
            Thread.sleep(200);
            report = admin.get("/api/audit/verify").json();
        }
        long verifying = System.nanoTime();
        report = admin.get("/api/audit/verify").json();
        System.out.printf("%s: audit chain sealed %.1f s after the load ended; verify of %d entries took %d ms (valid=%s)%n",
                label, (verifying - sealing) / 1e9, report.at("/organization/verified").asLong(),
                (System.nanoTime() - verifying) / 1_000_000, report.at("/organization/valid").asText());
    }

    private static Wrk.Result ceiling(int seconds) throws Exception {
        int port = ServerProcess.freePort();
        String classpath = System.getProperty("java.class.path");
        String database = ServerProcess.freshDatabase("af_bench_ceiling");
        Process process = new ProcessBuilder("java", "-cp", classpath, CeilingServer.class.getName(),
                database, String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(new File("target/bench-ceiling.log")).start();
        try {
            String url = "http://127.0.0.1:" + port + "/ceiling";
            for (int i = 0; i < 100; i++) {
                try {
                    new java.net.Socket("127.0.0.1", port).close();
                    break;
                } catch (java.io.IOException e) {
                    Thread.sleep(100);
                }
            }
            Wrk.run(url, "-", ACTION, 16, WARM_UP_SECONDS);
            return Wrk.run(url, "-", ACTION, 16, seconds);
        } finally {
            process.destroy();
            process.waitFor();
            ServerProcess.dropDatabase(database);
        }
    }
}
