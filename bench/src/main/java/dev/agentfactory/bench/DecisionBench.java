package dev.agentfactory.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The decision endpoint against the ceiling of this machine, on the local and on the embedded
 * PostgreSQL. In one run: the ceiling (a bare Javalin endpoint doing the same two durable inserts),
 * with its own cold-start curve, one-connection and half-rate latency, so every goal can be read
 * against what the bare stack reaches on this machine;
 * for each database, the throughput curve in 5 s windows from the first request after a cold start;
 * warm throughput at 16 connections with its share of the ceiling and the CPU spent per decision by
 * the server and by PostgreSQL (from /proc); latency at one connection and at 50% and 80% of the warm
 * rate (paced arrivals); the throughput curve across a hot redeploy and across a rule reload under
 * load; and, with {@code history=N}, the warm figures again after N stored decisions and audit
 * entries. Run: {@code bench/run.sh DecisionBench "[seconds] [history=N] [embedded=false]"}.
 */
public final class DecisionBench {
    static final String ACTION = "{\"traceId\":\"bench\",\"actions\":[{\"actionType\":\"GenerateRecommendation\","
            + "\"confidence\":0.93,\"contactId\":\"c-1\",\"contextTypes\":[\"ContactProfile\"],"
            + "\"payload\":{\"listingId\":\"L-1\"},\"reasoning\":\"the lead viewed three listings\"}]}";
    private static final int WINDOW_SECONDS = 5;
    private static final int COLD_WINDOWS = 12;
    /**
     * After the cold-start curve, more load before the warm figures: on 2 busy cores the JIT needs
     * minutes to compile the decision path at its best (seen: ~110 s of load), and "warm" means that.
     */
    private static final int WARM_UP_SECONDS = 90;
    /** How many times the redeploy and the reload are measured, each between its own windows. */
    private static final int EVENT_REPEATS = 3;
    /** The ceiling's pool: the server's default (AF_DB_POOL_SIZE), so both stacks get the same connections. */
    private static final int POOL_SIZE = 16;

    public static void main(String[] arguments) throws Exception {
        String[] args = String.join(" ", arguments).trim().split("\\s+");
        int seconds = 15;
        long history = 0;
        boolean embedded = true;
        for (String arg : args) {
            if (arg.startsWith("history=")) {
                history = Long.parseLong(arg.substring("history=".length()));
            } else if (arg.equals("embedded=false")) {
                embedded = false;
            } else if (!arg.isBlank()) {
                seconds = Integer.parseInt(arg);
            }
        }
        System.out.printf("cores=%d, wrk -t2 -c16, %d s per throughput run, %d s windows%n",
                Runtime.getRuntime().availableProcessors(), seconds, WINDOW_SECONDS);

        Wrk.Result ceiling = ceiling(seconds);

        Path rules = ServerProcess.copyOfRules();
        try (ServerProcess server = ServerProcess.onFreshDatabase("af_bench_decisions", rules)) {
            new Run("local PostgreSQL", server, rules, ceiling, seconds).all(history);
        }
        if (embedded) {
            Path embeddedRules = ServerProcess.copyOfRules();
            try (ServerProcess server = ServerProcess.onEmbeddedDatabase(embeddedRules)) {
                new Run("embedded PostgreSQL", server, embeddedRules, ceiling, seconds).all(0);
            }
        }
    }

    /** One server under every measurement, in order. */
    private static final class Run {
        private final String label;
        private final ServerProcess server;
        private final Path rules;
        private final Wrk.Result ceiling;
        private final int seconds;
        private Http admin;
        private String agentId;
        private String token;
        private String url;

        Run(String label, ServerProcess server, Path rules, Wrk.Result ceiling, int seconds) {
            this.label = label;
            this.server = server;
            this.rules = rules;
            this.ceiling = ceiling;
            this.seconds = seconds;
        }

        void all(long history) throws Exception {
            long startMillis = server.start();
            setUp();
            System.out.printf("%s: server ready %d ms after start%n", label, startMillis);
            List<Double> cold = windows(COLD_WINDOWS, null);
            Wrk.Result warm = warm();
            print("cold start, req/s per " + WINDOW_SECONDS + " s window from the first request", cold, warm);
            latency(warm);
            across("hot redeploy of the agent under load", this::redeploy);
            across("rule reload (a saved rule file: compile, rule tests, swap) under load", this::reload);
            if (history > 0) {
                seedHistory(history);
                Wrk.Result withHistory = warm();
                System.out.printf("%s with %,d stored decisions and audit entries: %.0f%% of the warm figure without%n",
                        label, history, 100 * withHistory.requestsPerSecond() / warm.requestsPerSecond());
                latency(withHistory);
            }
            audited();
        }

        private void setUp() throws Exception {
            admin = new Http(server.base(), ServerProcess.TOKEN);
            agentId = admin.post("/api/agents", blueprint("d")).json().get("id").asText();
            require(admin.post("/api/agents/" + agentId + "/deploy", ""), 201);
            token = admin.post("/api/tokens", Map.of("principal", "bench-agent", "roles", List.of("AGENT"),
                    "agentId", agentId)).json().get("token").asText();
            url = server.base() + "/api/agents/" + agentId + "/actions";
        }

        private static Map<String, Object> blueprint(String description) {
            return Map.of("name", "Bench agent", "description", description, "goal", "g",
                    "triggerConfig", Map.of("eventTriggers", List.of("lead.created")),
                    "contextConfig", Map.of("requiredContextTypes", List.of("ContactProfile")),
                    "actionConfig", Map.of("allowedActionTypes", List.of("GenerateRecommendation", "SendEmail")),
                    "promptConfig", Map.of("promptTemplateId", "t"));
        }

        /** Warm throughput at 16 connections, its share of the ceiling, CPU per decision. */
        private Wrk.Result warm() throws Exception {
            if (WARM_UP_SECONDS > 0) {
                Wrk.run(url, token, ACTION, 16, WARM_UP_SECONDS);
            }
            Map<String, Long> pids = Map.of("server", server.pid());
            Cpu before = Cpu.now(pids);
            Wrk.Result result = Wrk.run(url, token, ACTION, 16, seconds);
            Cpu after = Cpu.now(pids);
            Map<String, Double> micros = after.microsPerRequest(before, result.requests());
            System.out.printf("%s, durable decisions: %s = %.0f%% of the ceiling%n", label, result,
                    100 * result.requestsPerSecond() / ceiling.requestsPerSecond());
            System.out.printf("%s, CPU per decision: server %.0f us, PostgreSQL %.0f us (%s)%n", label,
                    micros.get("server"), micros.get("PostgreSQL"), after.since(before));
            return result;
        }

        /** One connection, then paced arrivals at 50% and 80% of the warm rate. */
        private void latency(Wrk.Result warm) throws Exception {
            System.out.printf("%s, one connection: %s%n", label, Wrk.run(url, token, ACTION, 1, Math.min(seconds, 10)));
            for (double share : new double[] {0.5, 0.8}) {
                double rate = warm.requestsPerSecond() * share;
                Wrk.Result paced = Wrk.paced(url, token, ACTION, 64, Math.min(seconds, 10), rate);
                System.out.printf("%s, paced at %.0f%% (%.0f req/s asked): %s%n", label, share * 100, rate, paced);
            }
        }

        /**
         * Windows of load around an event started at the third window, before vs the two after, three
         * times over: one 5 s window swings by ±10% on this machine, more than the effect measured.
         */
        private void across(String what, Task event) throws Exception {
            List<Double> ratios = new ArrayList<>();
            List<List<Long>> curves = new ArrayList<>();
            for (int i = 0; i < EVENT_REPEATS; i++) {
                List<Double> curve = windows(4, event);
                double before = (curve.get(0) + curve.get(1)) / 2;
                double after = (curve.get(2) + curve.get(3)) / 2;
                ratios.add(after / before);
                curves.add(rounded(curve));
            }
            System.out.printf("%s, %s: req/s per %d s window %s; the 10 s after it %s of the 10 s before, mean %.1f%%%n",
                    label, what, WINDOW_SECONDS, curves, ratios.stream().map(r -> Math.round(100 * r) + "%").toList(),
                    100 * ratios.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
        }

        /** {@code count} windows of 16 connections, back to back; {@code event} runs 0.5 s into the third. */
        private List<Double> windows(int count, Task event) throws Exception {
            List<Double> rates = new ArrayList<>();
            ExecutorService background = Executors.newSingleThreadExecutor();
            try {
                for (int i = 0; i < count; i++) {
                    Future<?> fired = null;
                    if (event != null && i == 2) {
                        fired = background.submit(() -> {
                            Thread.sleep(500);
                            event.run();
                            return null;
                        });
                    }
                    rates.add(Wrk.run(url, token, ACTION, 16, WINDOW_SECONDS).requestsPerSecond());
                    if (fired != null) {
                        fired.get();
                    }
                }
            } finally {
                background.shutdown();
            }
            return rates;
        }

        /** A new blueprint version deployed over the running one. */
        private void redeploy() throws Exception {
            require(admin.put("/api/agents/" + agentId, blueprint("redeployed at " + System.nanoTime())), 200);
            require(admin.post("/api/agents/" + agentId + "/deploy", ""), 201);
        }

        /** A rule file saved in the watched folder; returns once the new bundle serves. */
        private void reload() throws Exception {
            String before = admin.get("/api/rules/status").json().get("version").asText();
            Files.writeString(rules.resolve("blueprint/bench-" + System.nanoTime() + ".drl"), """
                    package blueprint.bench%d;
                    import dev.agentfactory.rules.model.*;

                    rule "BP-BENCH-%d a rule that never fires"
                        @tier(3) @severity("INFO") @description("A change for the reload benchmark")
                    when
                        BlueprintFact( name == "no blueprint is called this" )
                    then
                        insert(Results.finding(drools, "never", "name"));
                    end
                    """.formatted(System.nanoTime(), System.nanoTime() % 100000));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (admin.get("/api/rules/status").json().get("version").asText().equals(before)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the rule change was not loaded within 30 s");
                }
                Thread.sleep(100);
            }
        }

        /**
         * {@code count} decisions and as many audit entries of this agent, written directly by the
         * database owner (the append-only and sealing triggers off, so they stand outside the sealed
         * chain: a benchmark database, not evidence), then vacuumed and analysed.
         */
        private void seedHistory(long count) throws Exception {
            String database = server.databaseUrl();
            if (database == null) {
                System.out.println(label + ": history only on an external database");
                return;
            }
            JsonNode me = admin.get("/api/me").json();
            String organization = me.get("organizationId").asText();
            long started = System.nanoTime();
            try (Connection connection = DriverManager.getConnection(database, "postgres", "");
                 Statement statement = connection.createStatement()) {
                statement.execute("set session_replication_role = replica");
                String deployment = "(select deployment_id from blueprints where id = '" + agentId + "')";
                statement.execute("""
                        insert into decisions (id, organization_id, agent_id, deployment_id, blueprint_version,
                            rule_set_version, trace_id, request_id, action_type, scope, decision, status, risk_score,
                            confidence, contact_id, reasons, rules_fired, input, latency_us, created_at, updated_at)
                        select gen_random_uuid(), '%s', '%s', %s, 1, 'history', 'bench', 'history',
                            'GenerateRecommendation', 'InnerWorld', 'EXECUTE', 'EXECUTE', 0.1, 0.93, 'c-' || (g %% 50000),
                            '["risk 0.1 is below the threshold 0.7"]',
                            '["AGT-POL-0","AGT-ACT-0","CAT-003","T2-001","T2-099","T3-001","T3-016"]',
                            jsonb_build_object('actionType', 'GenerateRecommendation', 'confidence', 0.93,
                                'contactId', 'c-' || (g %% 50000), 'payload', jsonb_build_object('listingId', 'L-' || g),
                                'reasoning', 'the lead viewed three listings'),
                            500, now() - make_interval(secs => g * 3), now() - make_interval(secs => g * 3)
                          from generate_series(1, %d) g
                        """.formatted(organization, agentId, deployment, count));
                statement.execute("""
                        insert into audit_log (organization_id, occurred_at, actor, action, entity_type, entity_id,
                            trace_id, after, rule_set_version, rules_fired)
                        select '%s', now() - make_interval(secs => g * 3), 'agent:bench-agent', 'decision.made',
                            'decision', gen_random_uuid()::text, 'history',
                            jsonb_build_object('traceId', 'bench', 'agentId', '%s', 'decision',
                                jsonb_build_object('actionType', 'GenerateRecommendation', 'decision', 'EXECUTE',
                                    'riskScore', 0.1, 'reasons', jsonb_build_array('risk 0.1 is below the threshold 0.7')),
                                'input', jsonb_build_object('actionType', 'GenerateRecommendation', 'confidence', 0.93,
                                    'contactId', 'c-' || (g %% 50000), 'reasoning', 'the lead viewed three listings')),
                            'history', '["T2-001","T2-099","T3-001","T3-016"]'
                          from generate_series(1, %d) g
                        """.formatted(organization, agentId, count));
                statement.execute("set session_replication_role = origin");
                statement.execute("vacuum analyze decisions");
                statement.execute("vacuum analyze audit_log");
                // the seeding wrote gigabytes: flushed now, not by the checkpointer during the measurement
                statement.execute("checkpoint");
            }
            System.out.printf("%s: seeded %,d decisions and %,d audit entries in %.0f s%n", label, count, count,
                    (System.nanoTime() - started) / 1e9);
        }

        private void audited() throws Exception {
            long stored = admin.get("/api/audit?action=decision.made&limit=1").json().get("total").asLong();
            System.out.printf("%s: %d decisions audited in PostgreSQL (every answered one is stored before the answer)%n",
                    label, stored);
        }

        private void print(String what, List<Double> curve, Wrk.Result warm) {
            double reference = warm.requestsPerSecond();
            int firstWithin = -1;
            for (int i = 0; i < curve.size(); i++) {
                if (curve.get(i) >= 0.8 * reference) {
                    firstWithin = i;
                    break;
                }
            }
            System.out.printf("%s, %s: %s; warm %.0f; first window within 20%% of warm: %s%n", label, what,
                    rounded(curve), reference, firstWithin < 0 ? "none"
                            : (firstWithin * WINDOW_SECONDS) + "-" + ((firstWithin + 1) * WINDOW_SECONDS) + " s");
        }

        private static List<Long> rounded(List<Double> rates) {
            return rates.stream().map(Math::round).toList();
        }

        private static void require(Http.Response response, int status) {
            if (response.status() != status) {
                throw new IllegalStateException("expected " + status + ": " + response.status() + " " + response.body());
            }
        }
    }

    @FunctionalInterface
    private interface Task {
        void run() throws Exception;
    }

    /**
     * The ceiling server measured as the decision server is, so each goal can be read against what
     * this machine gives the bare stack (HTTP, JSON, JDBC, two durable inserts): its own cold-start
     * curve from its first request, then its warm throughput, one connection and 50% of its rate.
     */
    private static Wrk.Result ceiling(int seconds) throws Exception {
        int port = ServerProcess.freePort();
        String classpath = System.getProperty("java.class.path");
        String database = ServerProcess.freshDatabase("af_bench_ceiling");
        Process process = new ProcessBuilder("java", "-cp", classpath, CeilingServer.class.getName(),
                database, String.valueOf(port), String.valueOf(POOL_SIZE))
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
            List<Long> cold = new ArrayList<>();
            for (int i = 0; i < COLD_WINDOWS; i++) {
                cold.add(Math.round(Wrk.run(url, "-", ACTION, 16, WINDOW_SECONDS).requestsPerSecond()));
            }
            Wrk.run(url, "-", ACTION, 16, 30);
            Wrk.Result warm = Wrk.run(url, "-", ACTION, 16, seconds);
            System.out.println("ceiling (bare Javalin + 2 durable inserts): " + warm);
            int firstWithin = -1;
            for (int i = 0; i < cold.size() && firstWithin < 0; i++) {
                firstWithin = cold.get(i) >= 0.8 * warm.requestsPerSecond() ? i : -1;
            }
            System.out.printf("ceiling, cold start, req/s per %d s window from the first request: %s; "
                            + "first window within 20%% of its warm: %s%n", WINDOW_SECONDS, cold,
                    firstWithin < 0 ? "none" : (firstWithin * WINDOW_SECONDS) + "-" + ((firstWithin + 1) * WINDOW_SECONDS) + " s");
            System.out.println("ceiling, one connection: " + Wrk.run(url, "-", ACTION, 1, Math.min(seconds, 10)));
            double rate = warm.requestsPerSecond() * 0.5;
            System.out.printf("ceiling, paced at 50%% (%.0f req/s asked): %s%n", rate,
                    Wrk.paced(url, "-", ACTION, 64, Math.min(seconds, 10), rate));
            return warm;
        } finally {
            process.destroy();
            process.waitFor();
            ServerProcess.dropDatabase(database);
        }
    }
}
