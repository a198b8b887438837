package dev.agentfactory.db;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.ChildServer;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.PostgresProcesses;
import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.support.TestServer;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash is not an outage: the server (a child JVM on its embedded PostgreSQL) is killed with
 * SIGKILL while agents post decisions, and a new server on the same folder starts by itself with
 * every decision it acknowledged.
 */
class CrashRestartTest {
    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final int SEQUENTIAL = 20;
    private static final int CONCURRENT_SENDERS = 4;
    private static final int CONCURRENT_BEFORE_KILL = 60;

    @Test
    void every_decision_acknowledged_before_a_kill_9_is_there_after_the_restart(@TempDir Path dataDir) throws Exception {
        Path pgData = dataDir.resolve("postgres");
        Path rules = RulesFolder.copyOfShipped();
        int port = ChildServer.freePort();
        Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
        String agentId;
        ExecutorService senders = Executors.newFixedThreadPool(CONCURRENT_SENDERS);
        try {
            try (ChildServer first = ChildServer.start(dataDir, rules, port).awaitReady()) {
                secondServerOnTheFolderFailsFast(dataDir, rules, first);

                String pm = token(first, Map.of("principal", "pat", "roles", List.of("PM")));
                agentId = createAndDeploy(first, pm);
                String agent = token(first, Map.of("principal", "lead-bot", "roles", List.of("AGENT"), "agentId", agentId));
                for (int i = 0; i < SEQUENTIAL; i++) {
                    acknowledged.add(propose(first, agent, agentId));
                }
                List<Future<?>> sending = new ArrayList<>();
                for (int i = 0; i < CONCURRENT_SENDERS; i++) {
                    sending.add(senders.submit(() -> {
                        // Until the server dies under us: only answers that arrived count as acknowledged.
                        while (true) {
                            try {
                                acknowledged.add(propose(first, agent, agentId));
                            } catch (UncheckedIOException e) {
                                return;
                            }
                        }
                    }));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= SEQUENTIAL
                        + CONCURRENT_BEFORE_KILL || sending.stream().anyMatch(Future::isDone));
                for (Future<?> sender : sending) {
                    if (sender.isDone()) {
                        sender.get(); // its failure, if it failed
                        throw new AssertionError("a sender lost the server before the kill");
                    }
                }

                assertEquals(137, first.jvm().kill(), "SIGKILL: the server had no chance to stop anything");
                for (Future<?> sender : sending) {
                    sender.get(30, TimeUnit.SECONDS);
                }
            }
            long orphan = PostgresProcesses.pidInPidFile(pgData);
            assertTrue(isAlive(orphan), "the killed server's PostgreSQL runs on without it");

            try (ChildServer restarted = ChildServer.start(dataDir, rules, port).awaitReady()) {
                assertFalse(isAlive(orphan), "the orphan was stopped");
                for (String decisionId : acknowledged) {
                    HttpResult decision = restarted.get("/api/agents/" + agentId + "/decisions/" + decisionId, ADMIN);
                    assertEquals(200, decision.status(), decision.body());
                    assertEquals("EXECUTE", decision.json().get("decision").asText());
                    HttpResult audit = restarted.get("/api/audit?action=decision.made&entityId=" + decisionId, ADMIN);
                    assertEquals(1, audit.json().get("total").asLong(), "audited: " + decisionId);
                }
                JsonNode verified = restarted.get("/api/audit/verify", ADMIN).json();
                assertTrue(verified.at("/organization/valid").asBoolean(), verified.toString());

                restarted.jvm().stop();
            }
            assertEquals(List.of(), PostgresProcesses.on(pgData), "SIGTERM stops the embedded PostgreSQL too");
        } finally {
            senders.shutdownNow();
            PostgresProcesses.kill(pgData);
        }
    }

    /** A second server on a folder a live server uses stops at once with a clear message, and harms nothing. */
    private static void secondServerOnTheFolderFailsFast(Path dataDir, Path rules, ChildServer live) {
        try (ChildServer second = ChildServer.start(dataDir, rules, ChildServer.freePort())) {
            assertEquals(1, second.jvm().waitForExit(), second.jvm().output());
            assertTrue(second.jvm().output().contains("another Agent Factory server is using " + dataDir),
                    second.jvm().output());
        }
        assertEquals(200, live.get("/health/ready", null).status());
    }

    private static String token(ChildServer server, Map<String, Object> request) {
        HttpResult minted = server.post("/api/tokens", ADMIN, request);
        assertEquals(201, minted.status(), minted.body());
        return minted.json().get("token").asText();
    }

    private static String createAndDeploy(ChildServer server, String pm) {
        HttpResult created = server.post("/api/agents", pm, Blueprints.valid("Survives a crash"));
        assertEquals(201, created.status(), created.body());
        String id = created.json().get("id").asText();
        HttpResult deployed = server.post("/api/agents/" + id + "/deploy", pm, "");
        assertEquals(201, deployed.status(), deployed.body());
        return id;
    }

    /** Proposes one action; returns the id of the decision the server acknowledged. */
    private static String propose(ChildServer server, String token, String agentId) {
        HttpResult result = server.post("/api/agents/" + agentId + "/actions", token, Map.of("actions",
                List.of(Map.of("actionType", "GenerateRecommendation", "confidence", 0.9))));
        assertEquals(200, result.status(), result.body());
        return result.json().at("/decisions/0/decisionId").asText();
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
