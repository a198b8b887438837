package dev.agentfactory.monitoring;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The monitoring API and /metrics agree with a known sequence of decisions, also after a restart. */
class MonitoringTest {

    @Test
    void metrics_logs_and_the_agent_list_match_a_known_sequence_of_decisions() {
        TestServer server = TestServer.start("monitoring", c -> c.withMetricsToken("scrape-secret"));
        try {
            String org = server.organization("monitored");
            String pm = server.token(org, "mona", "PM");
            String approver = server.token(org, "abby", "APPROVER");
            Map<String, Object> blueprint = Blueprints.with(Blueprints.valid("Watched"), "actionConfig",
                    "allowedActionTypes", List.of("GenerateRecommendation", "SendEmail"));
            String id = Agents.createAndDeploy(server, pm, blueprint);
            String agent = Agents.agentToken(server, pm, id);
            // 3 EXECUTE (InnerWorld), 2 REQUIRE_APPROVAL (RealWorld), 1 REJECT (not allowed)
            for (int i = 0; i < 3; i++) {
                Agents.propose(server, agent, id, Map.of("actionType", "GenerateRecommendation", "confidence", 0.9));
            }
            List<String> approvals = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                approvals.add(Agents.propose(server, agent, id, Map.of("actionType", "SendEmail", "confidence", 0.9))
                        .get("approvalId").asText());
            }
            Agents.propose(server, agent, id, Map.of("actionType", "MakePhoneCall", "confidence", 0.9));
            server.post("/api/approvals/" + approvals.get(0) + "/approve", approver, "");
            Agents.activations(server, pm, Map.of("type", "interaction.completed"));

            server = server.restart();

            JsonNode metrics = server.get("/api/monitoring/agents/" + id + "/metrics?granularity=hour", pm).json();
            assertEquals(3, metrics.at("/decisions/EXECUTE").asInt(), metrics.toString());
            assertEquals(2, metrics.at("/decisions/REQUIRE_APPROVAL").asInt());
            assertEquals(1, metrics.at("/decisions/REJECT").asInt());
            assertEquals(3, metrics.at("/byActionType/GenerateRecommendation").asInt());
            assertEquals(2, metrics.at("/byActionType/SendEmail").asInt());
            assertEquals(3, metrics.at("/byScope/InnerWorld").asInt());
            assertEquals(3, metrics.at("/byScope/RealWorld").asInt(), "MakePhoneCall is RealWorld too");
            assertEquals(1, metrics.at("/approvals/approved").asInt());
            assertEquals(1, metrics.at("/approvals/pending").asInt());
            assertTrue(metrics.at("/approvals/medianSecondsToDecide").asDouble() >= 0);
            assertEquals(1, metrics.get("activations").asInt());
            assertTrue(metrics.at("/decisionLatencyMicros/p99").asLong() > 0);
            int seriesTotal = 0;
            for (JsonNode point : metrics.get("series")) {
                seriesTotal += point.get("count").asInt();
            }
            assertEquals(6, seriesTotal);

            JsonNode agents = server.get("/api/monitoring/agents", pm).json().get("items");
            JsonNode watched = agents.get(0);
            assertEquals("Watched", watched.get("name").asText());
            assertEquals("healthy", watched.get("health").asText());
            assertEquals(1, watched.get("deployedVersion").asInt());
            assertEquals(6, watched.get("decisionsToday").asInt());
            assertEquals(1, watched.get("pendingApprovals").asInt());

            JsonNode logs = server.get("/api/monitoring/agents/" + id + "/logs?limit=100", pm).json();
            Map<String, Integer> kinds = new HashMap<>();
            logs.get("items").forEach(item -> kinds.merge(item.get("kind").asText(), 1, Integer::sum));
            assertEquals(6, kinds.get("decision"));
            assertEquals(1, kinds.get("deployment"));
            assertEquals(2, kinds.get("approval"));
            assertEquals(1, kinds.get("activation"));
            assertTrue(kinds.get("reload") >= 1);
            String first = logs.at("/items/0/at").asText();
            String last = logs.at("/items/" + (logs.get("items").size() - 1) + "/at").asText();
            assertTrue(first.compareTo(last) >= 0, "newest first");
            assertFalse(logs.at("/items/0/traceId").isMissingNode());
            assertEquals(400, server.get("/api/monitoring/agents/" + id + "/metrics?granularity=week", pm).status());
            assertEquals(404, server.get("/api/monitoring/agents/" + id + "/logs",
                    server.token(server.organization("strangers"), "x", "PM")).status());
        } finally {
            server.close();
        }
    }

    @Test
    void prometheus_scrapes_the_named_series_with_its_token() {
        try (TestServer server = TestServer.start("prometheus", c -> c.withMetricsToken("scrape-secret"))) {
            String pm = server.token(server.defaultOrganizationId(), "pat", "PM");
            String id = Agents.createAndDeploy(server, pm, Blueprints.valid("Scraped"));
            Agents.propose(server, Agents.agentToken(server, pm, id),
                    id, Map.of("actionType", "GenerateRecommendation", "confidence", 0.9));

            assertEquals(401, server.get("/metrics", null).status());
            assertEquals(401, server.get("/metrics", TestServer.ADMIN_TOKEN).status(), "the metrics token, not another");
            HttpResult scrape = server.get("/metrics", "scrape-secret");

            assertEquals(200, scrape.status());
            assertTrue(scrape.header("Content-Type").startsWith("text/plain"));
            Map<String, Double> series = parse(scrape.body());
            assertEquals(1.0, series.get("agentfactory_decisions_total{decision=\"EXECUTE\"}"), scrape.body());
            assertTrue(series.keySet().stream().anyMatch(k -> k.startsWith("http_server_requests_seconds_bucket{")
                    && k.contains("route=\"/api/agents/{id}/actions\"") && k.contains("status=\"200\"")));
            for (String name : List.of("agentfactory_rule_reloads_seconds_count", "agentfactory_deployments_seconds_count",
                    "agentfactory_approvals_pending", "agentfactory_outbox_backlog", "agentfactory_agents_live",
                    "jvm_memory_used_bytes", "hikaricp_connections_active", "agentfactory_decision_seconds_count")) {
                assertTrue(series.keySet().stream().anyMatch(k -> k.startsWith(name)), name + " is missing");
            }
        }
    }

    @Test
    void without_a_metrics_token_an_admin_token_scrapes() {
        try (TestServer server = TestServer.start("prometheus2")) {
            assertEquals(200, server.get("/metrics", TestServer.ADMIN_TOKEN).status());
            String pm = server.token(server.defaultOrganizationId(), "p", "PM");
            assertEquals(403, server.get("/metrics", pm).status());
        }
    }

    /** Prometheus text format: every sample line is {@code name{labels} value}; comments start with #. */
    private static Map<String, Double> parse(String body) {
        Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*})?) (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)$");
        Map<String, Double> series = new HashMap<>();
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = sample.matcher(line);
            assertTrue(m.matches(), "not Prometheus text format: " + line);
            series.put(m.group(1), m.group(3).equals("NaN") ? Double.NaN : m.group(3).endsWith("Inf")
                    ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(3)));
        }
        return series;
    }

    @Test
    void an_agent_without_decisions_has_empty_metrics_not_a_500() {
        try (TestServer server = TestServer.start("monitoring_empty")) {
            String pm = server.token(server.organization("quiet"), "quinn", "PM");
            String id = Agents.create(server, pm, Blueprints.valid("Never ran"));
            HttpResult metrics = server.get("/api/monitoring/agents/" + id + "/metrics", pm);
            assertEquals(200, metrics.status(), metrics.toString());
            assertTrue(metrics.json().at("/decisionLatencyMicros/p50").isNull(), metrics.toString());
            assertEquals(0, metrics.json().get("series").size());
        }
    }
}
