package dev.agentfactory.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.RulesFolder;
import dev.agentfactory.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Editing files under the rules folder: good sets go live by themselves, broken ones never do. */
class HotReloadTest {
    private static final String PROBE_NAME = "Hot reload probe";

    private Path rules;
    private TestServer server;
    private String compliance;

    @BeforeEach
    void start() {
        rules = RulesFolder.copyOfShipped();
        server = TestServer.start("hotreload", c -> c.withRulesDir(rules));
        compliance = server.token(server.defaultOrganizationId(), "carla", "COMPLIANCE");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static String probeRule(String id, String message) {
        return """
                package blueprint.probe;
                import dev.agentfactory.rules.model.*;

                rule "%s reload probe"
                    @tier(3) @severity("INFO") @description("Marks the reload probe blueprint")
                when
                    BlueprintFact( name == "%s" )
                then
                    insert(Results.finding(drools, "%s", "name"));
                end
                """.formatted(id, PROBE_NAME, message);
    }

    @Test
    void a_saved_edit_changes_the_next_validation_without_a_restart() {
        String before = version();
        assertTrue(probeMessages().isEmpty());

        long saved = System.nanoTime();
        RulesFolder.write(rules.resolve("blueprint/probe.drl"), probeRule("BP-PRB-001", "probe v1"));
        awaitProbe(messages -> messages.contains("probe v1"));
        System.out.printf("[hot reload] edit visible after %d ms%n", (System.nanoTime() - saved) / 1_000_000);

        assertNotEquals(before, version());
        RulesFolder.write(rules.resolve("blueprint/probe.drl"), probeRule("BP-PRB-001", "probe v2"));
        awaitProbe(messages -> messages.contains("probe v2"));
        JsonNode loaded = server.get("/api/audit?action=rules.loaded", compliance).json();
        assertTrue(loaded.get("total").asInt() >= 3, "start-up plus two edits: " + loaded);
    }

    @Test
    void a_syntax_error_is_refused_with_file_and_line_and_the_old_rules_keep_answering() {
        RulesFolder.write(rules.resolve("blueprint/probe.drl"), probeRule("BP-PRB-001", "still here"));
        awaitProbe(messages -> messages.contains("still here"));
        String good = version();

        String broken = probeRule("BP-PRB-001", "never").replace("BlueprintFact( name ==", "BlueprintFact( name == ==");
        RulesFolder.write(rules.resolve("blueprint/probe.drl"), broken);
        JsonNode refusal = awaitRefusal();

        assertEquals("compile", refusal.get("reason").asText());
        assertEquals("blueprint/probe.drl", refusal.at("/errors/0/file").asText());
        assertEquals(7, refusal.at("/errors/0/line").asInt());
        assertEquals(good, version());
        assertEquals(List.of("still here"), probeMessages());
        assertEquals(1, server.get("/api/audit?action=rules.refused", compliance).json().get("total").asInt());
    }

    @Test
    void a_set_whose_rule_tests_fail_is_refused_with_the_failing_case() {
        String good = version();
        RulesFolder.write(rules.resolve("tests/probe.json"), """
                {"description": "a case that cannot pass",
                 "cases": [
                   {"name": "the probe must be flagged",
                    "blueprint": {"name": "Hot reload probe", "description": "d", "goal": "g",
                                  "actionConfig": {"allowedActionTypes": ["GenerateRecommendation"]},
                                  "promptConfig": {"promptTemplateId": "t"}},
                    "expect": {"fired": ["BP-PRB-404"]}}
                 ]}
                """);
        JsonNode refusal = awaitRefusal();

        assertEquals("tests", refusal.get("reason").asText());
        assertEquals("tests/probe.json", refusal.at("/errors/0/file").asText());
        assertEquals(3, refusal.at("/errors/0/line").asInt());
        assertTrue(refusal.at("/errors/0/message").asText().contains("BP-PRB-404"));
        assertEquals(good, version());
    }

    @Test
    void a_burst_of_saves_gives_one_reload() throws Exception {
        int loadsBefore = loads();
        for (int i = 0; i < 5; i++) {
            RulesFolder.write(rules.resolve("blueprint/burst-" + i + ".drl"), probeRule("BP-BST-00" + i, "burst " + i)
                    .replace("package blueprint.probe;", "package blueprint.burst" + i + ";"));
            Thread.sleep(20);
        }
        awaitProbe(messages -> messages.size() == 5);
        Thread.sleep(RulesWatcher.QUIET_PERIOD.toMillis() * 3);

        assertEquals(loadsBefore + 1, loads());
    }

    @Test
    void reloading_under_concurrent_validations_gives_no_error_and_no_mixed_answer() throws Exception {
        Path probe = rules.resolve("blueprint/probe.drl");
        RulesFolder.write(probe, probeRule("BP-PRB-001", "set B"));
        awaitProbe(messages -> messages.contains("set B"));
        String versionB = version();
        Files.delete(probe);
        awaitProbe(List::isEmpty);
        String versionA = version();

        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            workers.add(pool.submit(() -> {
                int answers = 0;
                while (running.get()) {
                    HttpResult result = server.post("/api/validation/agent", compliance, probeBlueprint());
                    if (result.status() != 200) {
                        problems.add(result.toString());
                        continue;
                    }
                    String version = result.json().get("ruleSetVersion").asText();
                    boolean flagged = result.body().contains("BP-PRB-001");
                    if (!(version.equals(versionA) && !flagged) && !(version.equals(versionB) && flagged)) {
                        problems.add("mixed answer: version " + version + " flagged=" + flagged);
                    }
                    answers++;
                }
                return answers;
            }));
        }
        for (int i = 0; i < 10; i++) {
            if (i % 2 == 0) {
                RulesFolder.write(probe, probeRule("BP-PRB-001", "set B"));
            } else {
                Files.delete(probe);
            }
            HttpResult reload = server.post("/api/rules/reload", compliance, "{}");
            assertEquals(200, reload.status(), reload.body());
            Thread.sleep(100);
        }
        running.set(false);
        int answers = 0;
        for (Future<Integer> worker : workers) {
            answers += worker.get();
        }
        pool.shutdown();

        assertTrue(answers > 20, "answers: " + answers);
        assertEquals(List.of(), List.copyOf(problems));
    }

    private Map<String, Object> probeBlueprint() {
        return Blueprints.valid(PROBE_NAME);
    }

    private List<String> probeMessages() {
        HttpResult result = server.post("/api/validation/agent", compliance, probeBlueprint());
        assertEquals(200, result.status(), result.body());
        List<String> messages = new ArrayList<>();
        for (JsonNode finding : result.json().get("findings")) {
            if (finding.get("field").asText().equals("name") && finding.get("severity").asText().equals("INFO")) {
                messages.add(finding.get("message").asText());
            }
        }
        return messages;
    }

    private void awaitProbe(Predicate<List<String>> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> last = List.of();
        while (System.nanoTime() < deadline) {
            last = probeMessages();
            if (condition.test(last)) {
                return;
            }
            sleep(50);
        }
        throw new AssertionError("the rules never changed as expected; last probe findings: " + last);
    }

    private JsonNode awaitRefusal() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode refusal = server.get("/api/rules/status", compliance).json().get("lastRefusal");
            if (refusal != null && !refusal.isNull()) {
                return refusal;
            }
            sleep(50);
        }
        throw new AssertionError("no refusal was recorded");
    }

    private String version() {
        JsonNode status = server.get("/api/rules/status", compliance).json();
        assertFalse(status.get("version").isNull());
        return status.get("version").asText();
    }

    private int loads() {
        return server.get("/api/audit?action=rules.loaded", compliance).json().get("total").asInt();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
