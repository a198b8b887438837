package dev.agentfactory.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Two servers ({@code java -jar}) on one fresh database of the local PostgreSQL. First, how long a
 * pause (and a resume) committed on A takes to be applied on B: B is asked what it would decide
 * for the agent (the what-if endpoint, which reads the live agent and stores nothing) in a tight
 * loop until it refuses; the time is counted from A's answer (the change committed before it) and
 * from the request. Then durable decisions per second with wrk against one server (16
 * connections) and against both at once (8 each), with the share of the machine's CPU each party
 * used. Run: {@code bench/run.sh ClusterBench [seconds] [warm-up seconds] [samples]}.
 */
public final class ClusterBench {
    private static final String ACTION = "{\"traceId\":\"bench\",\"actions\":[{\"actionType\":\"GenerateRecommendation\","
            + "\"confidence\":0.93,\"contactId\":\"c-1\",\"contextTypes\":[\"ContactProfile\"],"
            + "\"payload\":{\"listingId\":\"L-1\"},\"reasoning\":\"the lead viewed three listings\"}]}";

    public static void main(String[] arguments) throws Exception {
        // bench/run.sh hands all of them over as one argument
        String[] args = String.join(" ", arguments).trim().split("\\s+");
        int seconds = intArg(args, 0, 15);
        int warmUp = intArg(args, 1, 60);
        int samples = intArg(args, 2, 100);
        System.out.printf("cores=%d, %d s per throughput run after %d s of warm-up, %d propagation samples%n",
                Runtime.getRuntime().availableProcessors(), seconds, warmUp, samples);

        try (ServerProcess a = ServerProcess.onFreshDatabase("af_bench_cluster"); ServerProcess b = a.twin()) {
            System.out.printf("server A up in %d ms, server B in %d ms (one database)%n", a.start(), b.start());
            Http adminA = new Http(a.base(), ServerProcess.TOKEN);
            Http adminB = new Http(b.base(), ServerProcess.TOKEN);
            String id = adminA.post("/api/agents", Map.of("name", "Cluster bench agent", "description", "d", "goal", "g",
                    "triggerConfig", Map.of("eventTriggers", List.of("lead.created")),
                    "contextConfig", Map.of("requiredContextTypes", List.of("ContactProfile")),
                    "actionConfig", Map.of("allowedActionTypes", List.of("GenerateRecommendation", "SendEmail")),
                    "promptConfig", Map.of("promptTemplateId", "t"))).json().get("id").asText();
            require(adminA.post("/api/agents/" + id + "/deploy", ""), 201);
            String token = adminA.post("/api/tokens", Map.of("principal", "bench-agent", "roles", List.of("AGENT"),
                    "agentId", id)).json().get("token").asText();
            awaitDecision(adminB, id, "EXECUTE");

            propagation(adminA, adminB, id, samples);
            bundlePropagation(a, adminA, adminB, Math.max(5, samples / 10));

            String urlA = a.base() + "/api/agents/" + id + "/actions";
            String urlB = b.base() + "/api/agents/" + id + "/actions";
            Map<String, Long> pids = Map.of("server A", a.pid(), "server B", b.pid());
            // the rules engine compiles its constraints to bytecode as it goes: warm both servers first
            both(urlA, urlB, token, 8, warmUp);

            Cpu before = Cpu.now(pids);
            Wrk.Result one = Wrk.run(urlA, token, ACTION, 16, seconds);
            Cpu.Usage oneCpu = Cpu.now(pids).since(before);
            System.out.println("one server (A), 16 connections: " + one);
            System.out.println("  CPU: " + oneCpu);

            before = Cpu.now(pids);
            List<Wrk.Result> two = both(urlA, urlB, token, 8, seconds);
            Cpu.Usage twoCpu = Cpu.now(pids).since(before);
            double total = two.get(0).requestsPerSecond() + two.get(1).requestsPerSecond();
            System.out.printf("two servers, 8 connections each: %.0f req/s (A: %s; B: %s) = %.2fx one server%n",
                    total, two.get(0), two.get(1), total / one.requestsPerSecond());
            System.out.println("  CPU: " + twoCpu);
            System.out.printf("limit: the machine was %.0f%% busy with one server and %.0f%% with two: on %d cores the"
                            + " servers, PostgreSQL and wrk share the same CPU, so a second server adds capacity only"
                            + " on its own machine%n", oneCpu.busyPercent(), twoCpu.busyPercent(),
                    Runtime.getRuntime().availableProcessors());
        }
    }

    /** Pause and resume on A, each until B answers accordingly. */
    private static void propagation(Http a, Http b, String id, int samples) throws Exception {
        double[] pauseFromAnswer = new double[samples];
        double[] pauseFromRequest = new double[samples];
        double[] resumeFromAnswer = new double[samples];
        List<Double> polls = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            long requested = System.nanoTime();
            require(a.post("/api/agents/" + id + "/pause", ""), 200);
            long answered = System.nanoTime();
            long applied = awaitDecision(b, id, "REJECT", polls);
            pauseFromAnswer[i] = (applied - answered) / 1e6;
            pauseFromRequest[i] = (applied - requested) / 1e6;

            require(a.post("/api/agents/" + id + "/resume", ""), 200);
            answered = System.nanoTime();
            resumeFromAnswer[i] = (awaitDecision(b, id, "EXECUTE", polls) - answered) / 1e6;
        }
        System.out.println("pause on A applied on B, from A's answer:   " + new Stats(pauseFromAnswer).summary("ms"));
        System.out.println("pause on A applied on B, from the request:  " + new Stats(pauseFromRequest).summary("ms"));
        System.out.println("resume on A applied on B, from A's answer:  " + new Stats(resumeFromAnswer).summary("ms"));
        System.out.println("one look at B (what-if round trip):          "
                + new Stats(polls.stream().mapToDouble(Double::doubleValue).toArray()).summary("ms"));
    }

    /**
     * A bundle activated through A (rollback and roll forward between two published versions) until B
     * serves it: B builds each version once, later switches reuse the built bundle. The first
     * activation of a new version is timed apart: it includes B building it (compile and rule tests).
     */
    private static void bundlePropagation(ServerProcess a, Http adminA, Http adminB, int samples) throws Exception {
        String original = adminA.get("/api/rules/status").json().get("version").asText();
        Path variant = Files.createTempDirectory("af-bench-rules");
        try (Stream<Path> files = Files.walk(Path.of("rules"))) {
            for (Path file : files.toList()) {
                Path copy = variant.resolve(Path.of("rules").relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
        Files.writeString(variant.resolve("blueprint/bench.drl"), """
                package blueprint.bench;
                import dev.agentfactory.rules.model.*;

                rule "BP-BENCH-001 a rule that never fires"
                    @tier(3) @severity("INFO") @description("Makes a second bundle version for the benchmark")
                when
                    BlueprintFact( name == "no blueprint is called this" )
                then
                    insert(Results.finding(drools, "never", "name"));
                end
                """);
        long published = System.nanoTime();
        String changed = a.publishRules(variant);
        long publishedAt = System.nanoTime();
        awaitBundle(adminB, changed);
        System.out.printf("new bundle published by the CLI (%.0f ms) served by B %.0f ms after the CLI returned"
                + " (B built it: compile and rule tests)%n", (publishedAt - published) / 1e6,
                (System.nanoTime() - publishedAt) / 1e6);
        double[] fromAnswer = new double[samples * 2];
        for (int i = 0; i < samples * 2; i++) {
            String target = i % 2 == 0 ? original : changed;
            require(adminA.post("/api/rules/bundles/" + target + "/activate", Map.of("reason", "benchmark")), 200);
            long answered = System.nanoTime();
            fromAnswer[i] = (awaitBundle(adminB, target) - answered) / 1e6;
        }
        System.out.println("bundle activated on A served by B, from A's answer: "
                + new Stats(fromAnswer).summary("ms") + " (versions B built before)");
    }

    /** Polls B's /health until it serves {@code version}; returns the time it first did. */
    private static long awaitBundle(Http server, String version) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            Http.Response health = server.get("/health");
            if (version.equals(health.json().at("/bundle/serving").asText())) {
                return System.nanoTime();
            }
        }
        throw new IllegalStateException("the other server did not serve bundle " + version + " within 30 s");
    }

    private static long awaitDecision(Http server, String id, String expected) throws Exception {
        return awaitDecision(server, id, expected, new ArrayList<>());
    }

    /** Asks {@code server} until it decides {@code expected}; returns the time it first did. */
    private static long awaitDecision(Http server, String id, String expected, List<Double> polls) throws Exception {
        Map<String, Object> whatIf = Map.of("agentId", id, "action", Map.of("actionType", "GenerateRecommendation",
                "confidence", 0.93, "contactId", "c-1", "contextTypes", List.of("ContactProfile")));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            long asked = System.nanoTime();
            Http.Response answer = server.post("/api/validation/action", whatIf);
            long now = System.nanoTime();
            polls.add((now - asked) / 1e6);
            if (answer.status() == 200 && answer.json().get("decision").asText().equals(expected)) {
                return now;
            }
        }
        throw new IllegalStateException("the other server did not decide " + expected + " within 10 s");
    }

    /** wrk against both servers at once. */
    private static List<Wrk.Result> both(String urlA, String urlB, String token, int connections, int seconds)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Wrk.Result> a = pool.submit(() -> Wrk.run(urlA, token, ACTION, connections, seconds));
            Future<Wrk.Result> b = pool.submit(() -> Wrk.run(urlB, token, ACTION, connections, seconds));
            return List.of(a.get(), b.get());
        } finally {
            pool.shutdown();
        }
    }

    private static void require(Http.Response response, int status) {
        if (response.status() != status) {
            throw new IllegalStateException("expected " + status + ": " + response.status() + " " + response.body());
        }
    }

    private static int intArg(String[] args, int index, int otherwise) {
        if (args.length <= index || args[index].isBlank()) {
            return otherwise;
        }
        return Integer.parseInt(args[index].trim());
    }
}
