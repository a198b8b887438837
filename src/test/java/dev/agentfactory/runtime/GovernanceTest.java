package dev.agentfactory.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Tier-1 rejects, constraints under concurrency, durability, idempotency and who may act for an agent. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GovernanceTest {
    private TestServer server;
    private String org;
    private String pm;

    @BeforeAll
    void start() {
        server = TestServer.start("governance");
        org = server.organization("governed");
        pm = server.token(org, "paul", "PM");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private Map<String, Object> agent(String name) {
        Map<String, Object> blueprint = Blueprints.valid(name);
        blueprint = Blueprints.with(blueprint, "actionConfig", "allowedActionTypes",
                List.of("GenerateRecommendation", "EscalateLead", "SendEmail"));
        blueprint = Blueprints.with(blueprint, "contextConfig", "requiredContextTypes", List.of("ContactProfile"));
        blueprint = Blueprints.with(blueprint, "contextConfig", "accessLevel", "ContactOnly");
        return Blueprints.with(blueprint, "validationConfig", "minConfidenceThreshold", 0.5);
    }

    private static Map<String, Object> action(String type, Object... more) {
        Map<String, Object> action = new HashMap<>(Map.of("actionType", type, "confidence", 0.95, "contactId", "c-1"));
        for (int i = 0; i + 1 < more.length; i += 2) {
            action.put((String) more[i], more[i + 1]);
        }
        return action;
    }

    @Test
    void each_tier_one_failure_rejects_with_its_reason() {
        String id = Agents.createAndDeploy(server, pm, agent("Relevance"));
        String token = Agents.agentToken(server, pm, id);
        Map<String, String> expectations = new HashMap<>();
        Map<String, Map<String, Object>> actions = new HashMap<>();
        actions.put("T1-002", action("SendSMS"));
        expectations.put("T1-002", "not in the agent's allowedActionTypes");
        actions.put("T1-003", action("GenerateRecommendation", "contextTypes", List.of("CreditProfile")));
        expectations.put("T1-003", "CreditProfile");
        actions.put("T1-004", action("GenerateRecommendation", "accessLevel", "Organization"));
        expectations.put("T1-004", "beyond the agent's accessLevel ContactOnly");
        actions.put("T1-005", action("SendEmail", "userOverrides", Map.of("doNotContact", true)));
        expectations.put("T1-005", "asked not to be contacted");
        actions.forEach((rule, proposed) -> {
            JsonNode decision = Agents.propose(server, token, id, proposed);
            assertEquals("REJECT", decision.get("decision").asText(), rule + ": " + decision);
            assertTrue(decision.get("rulesFired").toString().contains(rule), rule + ": " + decision);
            assertTrue(decision.get("reasons").toString().contains(expectations.get(rule)), rule + ": " + decision);
            assertFalse(decision.has("approvalId"));
        });

        server.post("/api/agents/" + id + "/pause", pm, "");
        JsonNode paused = Agents.propose(server, token, id, action("GenerateRecommendation"));
        assertEquals("REJECT", paused.get("decision").asText());
        assertTrue(paused.get("reasons").toString().contains("paused"), paused.toString());
        server.post("/api/agents/" + id + "/resume", pm, "");
        assertEquals("EXECUTE", Agents.propose(server, token, id, action("GenerateRecommendation")).get("decision").asText());
    }

    @Test
    void exactly_the_daily_cap_executes_under_twenty_concurrent_proposals() throws Exception {
        Map<String, Object> capped = Blueprints.with(agent("Capped"), "actionConfig", "actionConstraints",
                Map.of("maxDailyActions", 7));
        String id = Agents.createAndDeploy(server, pm, capped);
        String token = Agents.agentToken(server, pm, id);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<JsonNode>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String contact = "c-" + i;
            Callable<JsonNode> call = () -> {
                start.await();
                return Agents.propose(server, token, id, action("GenerateRecommendation", "contactId", contact));
            };
            futures.add(pool.submit(call));
        }
        start.countDown();
        int executed = 0;
        int rejected = 0;
        for (Future<JsonNode> future : futures) {
            JsonNode decision = future.get();
            if (decision.get("decision").asText().equals("EXECUTE")) {
                executed++;
            } else {
                rejected++;
                assertTrue(decision.get("reasons").toString().contains("daily cap of 7"), decision.toString());
            }
        }
        pool.shutdown();
        assertEquals(7, executed);
        assertEquals(13, rejected);
        assertEquals(7, (int) server.jdbi().withHandle(h -> h.createQuery(
                "select count from agent_daily_usage where agent_id = cast(:id as uuid)").bind("id", id)
                .mapTo(Integer.class).one()));
    }

    @Test
    void the_cooldown_holds_per_contact_and_action_type() {
        Map<String, Object> cooled = Blueprints.with(agent("Cooled"), "actionConfig", "actionConstraints",
                Map.of("cooldownPeriod", "2h"));
        String id = Agents.createAndDeploy(server, pm, cooled);
        String token = Agents.agentToken(server, pm, id);

        assertEquals("EXECUTE", Agents.propose(server, token, id, action("GenerateRecommendation", "contactId", "alice"))
                .get("decision").asText());
        JsonNode again = Agents.propose(server, token, id, action("GenerateRecommendation", "contactId", "alice"));
        assertEquals("REJECT", again.get("decision").asText());
        assertTrue(again.get("reasons").toString().contains("cooldownPeriod"), again.toString());
        assertEquals("EXECUTE", Agents.propose(server, token, id, action("GenerateRecommendation", "contactId", "bob"))
                .get("decision").asText());
        assertEquals("EXECUTE", Agents.propose(server, token, id, action("EscalateLead", "contactId", "alice"))
                .get("decision").asText());
    }

    @Test
    void every_decision_is_stored_with_its_audit_entry_and_can_be_read_back() {
        String id = Agents.createAndDeploy(server, pm, agent("Durable"));
        String token = Agents.agentToken(server, pm, id);
        HttpResult result = server.post("/api/agents/" + id + "/actions", token, Map.of("traceId", "trace-77",
                "actions", List.of(action("GenerateRecommendation"), action("SendEmail"), action("SendSMS"))));

        assertEquals(200, result.status(), result.body());
        JsonNode decisions = result.json().get("decisions");
        assertEquals("trace-77", result.json().get("traceId").asText());
        assertEquals(List.of("EXECUTE", "REQUIRE_APPROVAL", "REJECT"), List.of(decisions.get(0).get("decision").asText(),
                decisions.get(1).get("decision").asText(), decisions.get(2).get("decision").asText()));
        for (JsonNode decision : decisions) {
            String decisionId = decision.get("decisionId").asText();
            long stored = server.jdbi().withHandle(h -> h.createQuery("""
                    select count(*) from decisions d join audit_log a on a.entity_id = d.id::text
                     where d.id = cast(:id as uuid) and a.action = 'decision.made'
                       and a.rule_set_version = d.rule_set_version and a.trace_id = d.request_id
                       and a.after ->> 'traceId' = 'trace-77' and d.trace_id = 'trace-77'
                    """).bind("id", decisionId).mapTo(Long.class).one());
            assertEquals(1, stored, "decision and audit entry, committed together: " + decision);
            assertFalse(decision.get("ruleSetVersion").asText().isBlank());
            assertEquals(1, decision.get("agentVersion").asInt());
        }
        JsonNode pending = server.get("/api/agents/" + id + "/decisions/" + decisions.get(1).get("decisionId").asText(),
                token).json();
        assertEquals("PENDING_APPROVAL", pending.get("status").asText());
        assertEquals("pending", pending.get("approvalStatus").asText());
        assertEquals(decisions.get(1).get("approvalId").asText(), pending.get("approvalId").asText());
        assertEquals("SendEmail", pending.at("/input/actionType").asText());
        assertEquals("REJECTED", server.get("/api/agents/" + id + "/decisions/" + decisions.get(2).get("decisionId").asText(),
                pm).json().get("status").asText());
        long approvals = server.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from approvals where agent_id = cast(:id as uuid) and status = 'pending'")
                .bind("id", id).mapTo(Long.class).one());
        assertEquals(1, approvals);
    }

    @Test
    void a_retry_with_the_same_idempotency_key_returns_the_first_answer_without_a_second_decision() {
        Map<String, Object> capped = Blueprints.with(agent("Idempotent"), "actionConfig", "actionConstraints",
                Map.of("maxDailyActions", 1));
        String id = Agents.createAndDeploy(server, pm, capped);
        String token = Agents.agentToken(server, pm, id);
        Map<String, Object> body = Map.of("actions", List.of(action("GenerateRecommendation")));

        HttpResult first = server.send("POST", "/api/agents/" + id + "/actions", token, body, Map.of("Idempotency-Key", "k-1"));
        HttpResult retry = server.send("POST", "/api/agents/" + id + "/actions", token, body, Map.of("Idempotency-Key", "k-1"));

        assertEquals(200, retry.status());
        assertEquals(first.json(), retry.json());
        assertEquals("EXECUTE", retry.json().at("/decisions/0/decision").asText(), "the cap of 1 was not used twice");
        long stored = server.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from decisions where agent_id = cast(:id as uuid)").bind("id", id).mapTo(Long.class).one());
        assertEquals(1, stored);
        HttpResult reused = server.send("POST", "/api/agents/" + id + "/actions", token,
                Map.of("actions", List.of(action("EscalateLead"))), Map.of("Idempotency-Key", "k-1"));
        assertEquals(422, reused.status());
        HttpResult fresh = server.send("POST", "/api/agents/" + id + "/actions", token, body, Map.of("Idempotency-Key", "k-2"));
        assertEquals("REJECT", fresh.json().at("/decisions/0/decision").asText(), "a new key is a new request");
    }

    @Test
    void only_the_agent_its_token_is_bound_to_or_an_admin_may_act() {
        String id = Agents.createAndDeploy(server, pm, agent("Bound"));
        String other = Agents.createAndDeploy(server, pm, agent("Other"));
        String token = Agents.agentToken(server, pm, id);

        assertEquals(403, server.post("/api/agents/" + other + "/actions", token,
                Map.of("actions", List.of(action("GenerateRecommendation")))).status());
        assertEquals(403, server.post("/api/agents/" + id + "/actions", pm,
                Map.of("actions", List.of(action("GenerateRecommendation")))).status());
        String admin = server.token(org, "ada-admin", "ADMIN");
        assertEquals(200, server.post("/api/agents/" + id + "/actions", admin,
                Map.of("actions", List.of(action("GenerateRecommendation")))).status());

        String otherPm = server.token(org, "olga", "PM");
        HttpResult notTheirs = server.post("/api/tokens", otherPm, Map.of("principal", "sneaky", "roles", List.of("AGENT"),
                "agentId", id));
        assertEquals(403, notTheirs.status(), "a PM mints tokens only for agents it deployed");
        assertEquals(403, server.post("/api/tokens", pm, Map.of("principal", "x", "roles", List.of("PM"))).status());
    }

    @Test
    void an_agent_that_is_not_deployed_cannot_act_and_bad_proposals_are_400() {
        String draft = Agents.create(server, pm, agent("Draft only"));
        HttpResult notDeployed = server.post("/api/agents/" + draft + "/actions", TestServer.ADMIN_TOKEN.equals("") ? pm
                : server.token(org, "admin2", "ADMIN"), Map.of("actions", List.of(action("GenerateRecommendation"))));
        assertEquals(409, notDeployed.status(), notDeployed.body());

        String id = Agents.createAndDeploy(server, pm, agent("Strict input"));
        String token = Agents.agentToken(server, pm, id);
        assertEquals("actions", server.post("/api/agents/" + id + "/actions", token, Map.of("actions", List.of()))
                .errorFields().get(0));
        assertEquals("actions[0].confidence", server.post("/api/agents/" + id + "/actions", token,
                Map.of("actions", List.of(Map.of("actionType", "GenerateRecommendation", "confidence", 1.5))))
                .errorFields().get(0));
        assertEquals("actions[0].actionType", server.post("/api/agents/" + id + "/actions", token,
                Map.of("actions", List.of(Map.of("confidence", 0.5)))).errorFields().get(0));
        assertEquals("actions[0].accessLevel", server.post("/api/agents/" + id + "/actions", token,
                Map.of("actions", List.of(Map.of("actionType", "x", "confidence", 0.5, "accessLevel", "Galaxy"))))
                .errorFields().get(0));
        assertEquals(0L, (long) server.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from decisions where agent_id = cast(:id as uuid)").bind("id", id).mapTo(Long.class).one()));
    }

    @Test
    void a_what_if_runs_the_same_pipeline_and_stores_nothing() {
        Map<String, Object> capped = Blueprints.with(agent("What if"), "actionConfig", "actionConstraints",
                Map.of("maxDailyActions", 3));
        String id = Agents.createAndDeploy(server, pm, capped);
        String compliance = server.token(org, "cleo", "COMPLIANCE");
        long before = server.jdbi().withHandle(h -> h.createQuery("select count(*) from decisions").mapTo(Long.class).one());

        JsonNode answer = server.post("/api/validation/action", compliance, Map.of("agentId", id,
                "action", action("SendEmail"))).json();

        assertEquals("REQUIRE_APPROVAL", answer.get("decision").asText(), answer.toString());
        assertTrue(answer.get("dryRun").asBoolean());
        assertEquals("DAILY", answer.at("/constraints/0/kind").asText());
        assertEquals(0, answer.at("/constraints/0/usedToday").asInt());
        JsonNode paused = server.post("/api/validation/action", compliance, Map.of("agentId", id,
                "action", action("GenerateRecommendation"), "paused", true)).json();
        assertEquals("REJECT", paused.get("decision").asText());
        String draft = Agents.create(server, pm, agent("Never deployed"));
        assertEquals("EXECUTE", server.post("/api/validation/action", compliance, Map.of("agentId", draft,
                "action", action("GenerateRecommendation"))).json().get("decision").asText());
        assertEquals(before, (long) server.jdbi().withHandle(h -> h.createQuery("select count(*) from decisions")
                .mapTo(Long.class).one()));
    }
}
