package dev.agentfactory.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Deadlines live in PostgreSQL: a restart loses none, and the new server enforces them. */
class ApprovalRestartTest {

    @Test
    void a_deadline_that_passes_while_the_server_restarts_is_still_enforced() throws Exception {
        TestServer server = TestServer.start("approvalrestart");
        try {
            String pm = server.token(server.defaultOrganizationId(), "ron", "PM");
            Map<String, Object> blueprint = Blueprints.with(Blueprints.valid("Restarted"), "actionConfig", "overrideMode",
                    "AlwaysAsk");
            String id = Agents.createAndDeploy(server, pm, blueprint);
            String agentToken = Agents.agentToken(server, pm, id);
            JsonNode decision = Agents.propose(server, agentToken, id,
                    Map.of("actionType", "GenerateRecommendation", "confidence", 0.9));
            String approvalId = decision.get("approvalId").asText();
            // No escalation for this one, and a deadline two seconds away.
            server.jdbi().useHandle(h -> h.execute("update approvals set escalation_role = null,"
                    + " expires_at = now() + interval '2 seconds' where id = cast(? as uuid)", approvalId));

            server = server.restart();

            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String status = "pending";
            while (status.equals("pending") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                status = server.get("/api/approvals/" + approvalId, TestServer.ADMIN_TOKEN).json().get("status").asText();
            }
            assertEquals("expired", status);
            assertEquals("EXPIRED", server.get("/api/agents/" + id + "/decisions/" + decision.get("decisionId").asText(),
                    agentToken).json().get("status").asText());
        } finally {
            server.close();
        }
    }
}
