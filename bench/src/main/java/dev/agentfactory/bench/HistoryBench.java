package dev.agentfactory.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The decision path with history facts off and on, in one run on one server: first the shipped rules
 * (no window covers the benchmark's GenerateRecommendation: nothing read, the one-statement path),
 * then with a rule file that declares {@code @window("agent GenerateRecommendation 24")} and
 * {@code @window("contact GenerateRecommendation 24")} (one extra query per decision, the transaction
 * path and the agent's advisory lock, so that concurrent proposals count each other exactly).
 * Throughput and p99 side by side, for one agent (all 16 connections contend for its lock: the worst
 * case, its windowed decisions are made one at a time) and for 16 agents in turn (as load is shared in
 * practice).
 * Run: {@code bench/run.sh HistoryBench "[seconds]"}.
 */
public final class HistoryBench {
    private static final int WARM_UP_SECONDS = 60;

    private static final int AGENTS = 16;

    /** A deployed agent proposing GenerateRecommendation: its actions path and its token. */
    private static String[] agent(Http admin, String name) throws Exception {
        String agentId = admin.post("/api/agents", Map.of("name", name, "description", "d",
                "goal", "g", "triggerConfig", Map.of("eventTriggers", List.of("lead.created")),
                "contextConfig", Map.of("requiredContextTypes", List.of("ContactProfile")),
                "actionConfig", Map.of("allowedActionTypes", List.of("GenerateRecommendation")),
                "promptConfig", Map.of("promptTemplateId", "t"))).json().get("id").asText();
        admin.post("/api/agents/" + agentId + "/deploy", "");
        String token = admin.post("/api/tokens", Map.of("principal", "history-bench", "roles", List.of("AGENT"),
                "agentId", agentId)).json().get("token").asText();
        return new String[] {"/api/agents/" + agentId + "/actions", token};
    }

    public static void main(String[] arguments) throws Exception {
        String joined = String.join(" ", arguments).trim();
        int seconds = joined.isEmpty() ? 15 : Integer.parseInt(joined);
        Path rules = ServerProcess.copyOfRules();
        try (ServerProcess server = ServerProcess.onFreshDatabase("af_bench_history", rules)) {
            server.start();
            Http admin = new Http(server.base(), ServerProcess.TOKEN);
            List<String[]> agents = new java.util.ArrayList<>();
            for (int i = 0; i < AGENTS; i++) {
                agents.add(agent(admin, "History bench " + i));
            }
            String url = server.base() + agents.get(0)[0];
            String token = agents.get(0)[1];

            Wrk.run(url, token, DecisionBench.ACTION, 16, WARM_UP_SECONDS);
            Wrk.Result off = Wrk.run(url, token, DecisionBench.ACTION, 16, seconds);
            Wrk.Result offSpread = Wrk.rotating(server.base(), agents, DecisionBench.ACTION, 16, seconds);
            Wrk.Result offAlone = Wrk.run(url, token, DecisionBench.ACTION, 1, seconds);

            String before = admin.get("/api/rules/status").json().get("version").asText();
            Files.writeString(rules.resolve("actions/bench-history.drl"), """
                    package actions.benchhistory;
                    import dev.agentfactory.rules.model.*;

                    rule "BENCH-H-001 a recommendation flood needs a human"
                        @tier(2) @severity("INFO") @window("agent GenerateRecommendation 24; contact GenerateRecommendation 24")
                        @description("Never fires at benchmark volumes: it makes the server read two windows per decision")
                    when
                        ProposedAction( actionType == "GenerateRecommendation" )
                        RecentActions( per == "contact", actionType == "GenerateRecommendation", count > 100000000 )
                    then
                        insert(ApprovalReason.of(drools, "too many recommendations"));
                    end
                    """);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (admin.get("/api/rules/status").json().get("version").asText().equals(before)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the windowed rule was not loaded within 60 s");
                }
                Thread.sleep(200);
            }
            Wrk.rotating(server.base(), agents, DecisionBench.ACTION, 16, WARM_UP_SECONDS / 2);
            Wrk.Result on = Wrk.run(url, token, DecisionBench.ACTION, 16, seconds);
            Wrk.Result onSpread = Wrk.rotating(server.base(), agents, DecisionBench.ACTION, 16, seconds);
            Wrk.Result onAlone = Wrk.run(url, token, DecisionBench.ACTION, 1, seconds);

            System.out.printf("one agent, history facts off: %s%n", off);
            System.out.printf("one agent, history facts on (2 windows): %s%n", on);
            System.out.printf("one agent, on/off: throughput %.0f%%, p99 %.2f ms vs %.2f ms%n",
                    100 * on.requestsPerSecond() / off.requestsPerSecond(), on.p99Ms(), off.p99Ms());
            System.out.printf("%d agents in turn, history facts off: %s%n", AGENTS, offSpread);
            System.out.printf("%d agents in turn, history facts on (2 windows): %s%n", AGENTS, onSpread);
            System.out.printf("%d agents in turn, on/off: throughput %.0f%%, p99 %.2f ms vs %.2f ms%n", AGENTS,
                    100 * onSpread.requestsPerSecond() / offSpread.requestsPerSecond(), onSpread.p99Ms(),
                    offSpread.p99Ms());
            System.out.printf("one connection, history facts off: %s%n", offAlone);
            System.out.printf("one connection, history facts on (2 windows): %s%n", onAlone);
        }
    }
}
