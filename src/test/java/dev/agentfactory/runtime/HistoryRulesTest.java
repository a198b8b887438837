package dev.agentfactory.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The shipped windowed rules (rules/actions/history.drl) on a real server: exact under concurrent proposals. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryRulesTest {
    private TestServer server;
    private String pm;

    @BeforeAll
    void start() {
        server = TestServer.start("history");
        String org = server.organization("remembering");
        pm = server.token(org, "pam", "PM");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String[] agent(String name, String actionType) {
        String id = Agents.createAndDeploy(server, pm, Blueprints.with(Blueprints.valid(name), "actionConfig",
                "allowedActionTypes", List.of(actionType)));
        return new String[] {id, Agents.agentToken(server, pm, id)};
    }

    @Test
    void twenty_concurrent_emails_to_one_contact_let_exactly_three_through_in_a_day() {
        String[] agent = agent("Mailer", "SendEmail");
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<JsonNode>> proposals = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            proposals.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return Agents.propose(server, agent[1], agent[0], Map.of("actionType", "SendEmail",
                        "confidence", 0.95, "contactId", "c-1"));
            }));
        }
        go.countDown();

        List<JsonNode> decisions = proposals.stream().map(CompletableFuture::join).toList();
        long through = decisions.stream().filter(d -> !d.get("decision").asText().equals("REJECT")).count();
        assertEquals(3, through, decisions.toString());
        JsonNode refused = decisions.stream().filter(d -> d.get("decision").asText().equals("REJECT")).findFirst()
                .orElseThrow();
        assertTrue(Agents.texts(refused.get("rulesFired")).contains("H-001"), refused.toString());
        JsonNode otherContact = Agents.propose(server, agent[1], agent[0], Map.of("actionType", "SendEmail",
                "confidence", 0.95, "contactId", "c-2"));
        assertFalse(Agents.texts(otherContact.get("rulesFired")).contains("H-001"), "the window is per contact");
    }

    @Test
    void a_payment_that_takes_the_days_total_above_ten_thousand_has_a_hard_reason() {
        String[] agent = agent("Payer", "ProcessPayment");
        List<JsonNode> decisions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            decisions.add(Agents.propose(server, agent[1], agent[0], Map.of("actionType", "ProcessPayment",
                    "confidence", 0.95, "contactId", "c-" + i, "payload", Map.of("amount", 4000))));
        }

        assertFalse(Agents.texts(decisions.get(1).get("rulesFired")).contains("H-002"), "8,000 in total");
        assertTrue(Agents.texts(decisions.get(2).get("rulesFired")).contains("H-002"), decisions.get(2).toString());
        assertTrue(decisions.get(2).get("reasons").toString().contains("8000"), decisions.get(2).toString());
    }

    @Test
    void capped_and_windowed_actions_in_one_request_race_single_ones_without_a_deadlock() {
        String id = Agents.createAndDeploy(server, pm, Blueprints.with(Blueprints.with(Blueprints.valid("Mixed"),
                "actionConfig", "allowedActionTypes", List.of("GenerateRecommendation", "SendEmail")),
                "actionConfig", "actionConstraints", Map.of("maxDailyActions", 1000)));
        String token = Agents.agentToken(server, pm, id);
        Map<String, Object> capped = Map.of("actionType", "GenerateRecommendation", "confidence", 0.95,
                "contactId", "c-1");
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<dev.agentfactory.support.HttpResult>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Map<String, Object> email = Map.of("actionType", "SendEmail", "confidence", 0.95, "contactId", "c-" + i);
            // the first takes the daily slot and then the agent's history lock; the second only the lock
            List<Map<String, Object>> actions = i % 2 == 0 ? List.of(capped, email) : List.of(email);
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return server.post("/api/agents/" + id + "/actions", token, Map.of("actions", actions));
            }));
        }
        go.countDown();

        answers.stream().map(CompletableFuture::join)
                .forEach(answer -> assertEquals(200, answer.status(), answer.body()));
    }
}
