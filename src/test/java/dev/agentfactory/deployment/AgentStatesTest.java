package dev.agentfactory.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Agents;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Run-state changes go through one owner: illegal moves are refused whole, interrupted ones are repaired. */
class AgentStatesTest {
    private TestServer server;
    private String pm;
    private String auditor;

    @BeforeEach
    void start() {
        server = TestServer.start("agentstates");
        String org = server.organization("states");
        pm = server.token(org, "pat", "PM");
        auditor = server.token(org, "aud", "COMPLIANCE");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void an_illegal_status_change_is_a_409_and_writes_nothing() {
        String draft = Agents.create(server, pm, Agents.leadAgent("Never deployed"));
        String active = Agents.createAndDeploy(server, pm, Agents.leadAgent("Running"));
        String deleted = Agents.create(server, pm, Agents.leadAgent("Deleted"));
        assertEquals(204, server.delete("/api/agents/" + deleted, pm).status());

        assertRefusedWhole(draft, () -> server.post("/api/agents/" + draft + "/pause", pm, ""));
        assertRefusedWhole(draft, () -> server.post("/api/agents/" + draft + "/resume", pm, ""));
        assertRefusedWhole(draft, () -> server.post("/api/agents/" + draft + "/undeploy", pm, ""));
        assertRefusedWhole(active, () -> server.delete("/api/agents/" + active, pm));
        assertRefusedWhole(deleted, () -> server.post("/api/agents/" + deleted + "/deploy", pm, ""));
        assertRefusedWhole(deleted, () -> server.post("/api/agents/" + deleted + "/pause", pm, ""));
        assertEquals("Deprecated", status(deleted));
    }

    @Test
    void an_agent_cannot_be_undeployed_while_a_deployment_of_it_is_in_progress() {
        String id = Agents.createAndDeploy(server, pm, Agents.leadAgent("Busy"));
        UUID inProgress = fakeDeploymentInProgress(id);

        HttpResult refused = server.post("/api/agents/" + id + "/undeploy", pm, "");

        assertEquals(409, refused.status(), refused.body());
        assertTrue(refused.body().contains("in progress"), refused.body());
        assertEquals("Active", status(id));
        server.jdbi().useHandle(h -> h.execute("delete from deployments where id = ?", inProgress));
        assertEquals("ReadyForDeployment", server.post("/api/agents/" + id + "/undeploy", pm, "").json()
                .get("status").asText());
    }

    @Test
    void an_agent_paused_while_its_first_deployment_compiles_cannot_be_resumed_before_it_is_live() {
        String id = Agents.create(server, pm, Agents.leadAgent("Compiling"));
        server.jdbi().useHandle(h -> h.execute("update blueprints set status = 'Deploying' where id = cast(? as uuid)", id));
        fakeDeploymentInProgress(id);

        assertEquals("Paused", server.post("/api/agents/" + id + "/pause", pm, "").json().get("status").asText());
        HttpResult resume = server.post("/api/agents/" + id + "/resume", pm, "");

        assertEquals(409, resume.status(), resume.body());
        assertTrue(resume.body().contains("first deployment"), resume.body());
        assertEquals(409, server.post("/api/agents/" + id + "/undeploy", pm, "").status());
        assertEquals("Paused", status(id));
    }

    @Test
    void a_first_deployment_cut_off_by_a_crash_is_failed_at_start_up_audited_and_deployable_again() {
        String deploying = Agents.create(server, pm, Agents.leadAgent("Cut off"));
        String pausedMeanwhile = Agents.create(server, pm, Agents.leadAgent("Cut off and paused"));
        server.jdbi().useHandle(h -> {
            h.execute("update blueprints set status = 'Deploying' where id = cast(? as uuid)", deploying);
            h.execute("update blueprints set status = 'Paused' where id = cast(? as uuid)", pausedMeanwhile);
        });

        server = server.restart();

        for (String id : new String[] {deploying, pausedMeanwhile}) {
            assertEquals("Failed", status(id));
            JsonNode audit = server.get("/api/audit?action=agent.deploy_failed&entityId=" + id, auditor).json();
            assertEquals(1, audit.get("total").asInt(), audit.toString());
            assertEquals("system", audit.at("/items/0/actor").asText());
            assertTrue(audit.at("/items/0/after/error").asText().startsWith("interrupted"), audit.toString());
        }
        assertEquals("Active", Agents.deploy(server, pm, deploying).get("status").asText());
    }

    /** What a deploy still compiling (on this or another instance) leaves in the database. */
    private UUID fakeDeploymentInProgress(String agentId) {
        return server.jdbi().withHandle(h -> h.createQuery("""
                        insert into deployments (organization_id, agent_id, blueprint_version, kind, outcome, requested_by)
                        select organization_id, id, version, 'deploy', 'InProgress', 'pat' from blueprints where id = :id
                        returning id
                        """).bind("id", UUID.fromString(agentId)).mapTo(UUID.class).one());
    }

    /** The call answers 409 and leaves status, audit trail and change log as they were. */
    private void assertRefusedWhole(String id, Supplier<HttpResult> call) {
        String before = status(id);
        long audited = audited(id);
        long changes = changes();

        HttpResult result = call.get();

        assertEquals(409, result.status(), result.body());
        assertEquals("conflict", result.json().at("/error/code").asText());
        assertEquals(before, status(id));
        assertEquals(audited, audited(id), "nothing audited");
        assertEquals(changes, changes(), "nothing announced to other instances");
    }

    private String status(String id) {
        return server.jdbi().withHandle(h -> h.createQuery("select status from blueprints where id = cast(:id as uuid)")
                .bind("id", id).mapTo(String.class).one());
    }

    private long audited(String id) {
        return server.get("/api/audit?entityId=" + id + "&limit=1", auditor).json().get("total").asLong();
    }

    private long changes() {
        return server.jdbi().withHandle(h -> h.createQuery("select count(*) from cluster_changes")
                .mapTo(Long.class).one());
    }
}
