package dev.agentfactory.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.agentfactory.Config;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.TestServer;
import dev.agentfactory.web.Json;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** LLMDecision against a small OpenAI-compatible server started here: yes, no, garbage, and too slow. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LlmDecisionTest {
    private final AtomicReference<String> mode = new AtomicReference<>("no");
    private final AtomicReference<JsonNode> lastRequest = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger locksWhileAsked = new java.util.concurrent.atomic.AtomicInteger();
    private HttpServer llm;
    private TestServer server;
    private String agentId;
    private String token;
    /** An LLMDecision agent whose SendEmail the shipped window H-001 covers. */
    private String mailer;
    private String mailerToken;

    @BeforeAll
    void start() throws Exception {
        llm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        llm.createContext("/v1/chat/completions", exchange -> {
            asked.incrementAndGet();
            if (server != null && mailer != null) { // whether the mailer's history lock is held while the LLM thinks
                // that lock's key, as lock_agent_history (V21) spells it; other advisory locks (an audit sealer's,
                // another test's) are not this test's business
                locksWhileAsked.set(server.jdbi().withHandle(h -> h.createQuery("""
                        select count(*) from pg_locks l, (select hashtextextended('history:' || :agent, 17) as k) lock
                         where l.locktype = 'advisory' and l.granted and l.objsubid = 1
                           and l.classid::bigint = ((lock.k >> 32) & 4294967295)
                           and l.objid::bigint = (lock.k & 4294967295)
                        """).bind("agent", mailer).mapTo(Integer.class).one()));
            }
            lastRequest.set(Json.read(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    JsonNode.class));
            String content = switch (mode.get()) {
                case "yes" -> "{\"requireHuman\": true, \"reason\": \"the contact complained yesterday\"}";
                case "no" -> "```json\n{\"requireHuman\": false, \"reason\": \"routine recommendation\"}\n```";
                case "garbage" -> "Sure! I think a human should probably look at it.";
                default -> {
                    try {
                        Thread.sleep(2_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    yield "{\"requireHuman\": false, \"reason\": \"too late\"}";
                }
            };
            byte[] body = Json.write(Map.of("id", "x", "choices", List.of(Map.of("index", 0,
                    "message", Map.of("role", "assistant", "content", content))))).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        llm.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        llm.start();
        String url = "http://127.0.0.1:" + llm.getAddress().getPort() + "/v1";
        server = TestServer.start("llm", c -> c.withLlm(new Config.Llm(Optional.of(url), "test-model",
                Optional.of("sk-test"), Duration.ofMillis(500))));
        String pm = server.token(server.defaultOrganizationId(), "lou", "PM");
        Map<String, Object> blueprint = Blueprints.with(Blueprints.valid("LLM decides"), "actionConfig", "overrideMode",
                "LLMDecision");
        blueprint = Blueprints.with(blueprint, "actionConfig", "allowedActionTypes", List.of("GenerateRecommendation"));
        agentId = Agents.createAndDeploy(server, pm, Blueprints.with(blueprint, "validationConfig",
                "minConfidenceThreshold", 0.5));
        token = Agents.agentToken(server, pm, agentId);
        mailer = Agents.createAndDeploy(server, pm, Blueprints.with(Blueprints.with(blueprint, "actionConfig",
                "allowedActionTypes", List.of("SendEmail")), "validationConfig", "minConfidenceThreshold", 0.5));
        mailerToken = Agents.agentToken(server, pm, mailer);
    }

    @AfterAll
    void stop() {
        server.close();
        llm.stop(0);
    }

    private JsonNode propose(String llmMode) {
        mode.set(llmMode);
        return Agents.propose(server, token, agentId, Map.of("actionType", "GenerateRecommendation", "confidence", 0.9,
                "contactId", "c-1", "reasoning", "the lead asked for options", "userOverrides", Map.of("tone", "formal")));
    }

    @Test
    void the_llm_saying_a_human_must_approve_makes_it_wait() {
        JsonNode decision = propose("yes");
        assertEquals("REQUIRE_APPROVAL", decision.get("decision").asText(), decision.toString());
        assertTrue(decision.get("reasons").toString().contains("the contact complained yesterday"), decision.toString());
        JsonNode request = lastRequest.get();
        assertEquals("test-model", request.get("model").asText());
        String question = request.at("/messages/1/content").asText();
        assertTrue(question.contains("GenerateRecommendation") && question.contains("Book a viewing")
                && question.contains("formal") && question.contains("riskScore"), question);
    }

    @Test
    void the_llm_saying_no_human_is_needed_lets_it_run() {
        JsonNode decision = propose("no");
        assertEquals("EXECUTE", decision.get("decision").asText(), decision.toString());
        assertTrue(decision.get("reasons").toString().contains("routine recommendation"));
        assertTrue(decision.get("rulesFired").toString().contains("T3-018"));
    }

    @Test
    void a_garbage_answer_falls_back_to_risk_based_and_says_why() {
        JsonNode decision = propose("garbage");
        assertEquals("EXECUTE", decision.get("decision").asText(), "RiskBased: a confident inner-world action runs");
        assertTrue(decision.get("reasons").toString().contains("the LLM was not used"), decision.toString());
        assertTrue(decision.get("reasons").toString().contains("not JSON"), decision.toString());
    }

    @Test
    void a_slow_llm_times_out_and_falls_back_to_risk_based() {
        long started = System.nanoTime();
        JsonNode decision = propose("slow");
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals("EXECUTE", decision.get("decision").asText());
        assertTrue(decision.get("reasons").toString().contains("did not answer within 500 ms"), decision.toString());
        assertTrue(millis < 1_900, "the decision did not wait for the slow LLM: " + millis + " ms");
    }

    @Test
    void a_windowed_action_gets_the_llms_verdict_asked_once_outside_the_agents_lock() {
        mode.set("yes");
        int before = asked.get();

        JsonNode decision = Agents.propose(server, mailerToken, mailer, Map.of("actionType", "SendEmail",
                "confidence", 0.9, "contactId", "c-1", "reasoning", "the lead asked for options"));

        assertEquals("REQUIRE_APPROVAL", decision.get("decision").asText(), decision.toString());
        assertTrue(decision.get("reasons").toString().contains("the contact complained yesterday"), decision.toString());
        assertEquals(before + 1, asked.get(), "asked once, then decided under the lock with that verdict");
        assertEquals(0, locksWhileAsked.get(), "nobody's history lock was held while the LLM was asked");
    }
}
