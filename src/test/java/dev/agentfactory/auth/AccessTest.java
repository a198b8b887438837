package dev.agentfactory.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.App;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** 401 without a valid token, 403 for the wrong role, 404 for another organization's data. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessTest {
    private TestServer server;
    private String orgA;
    private String orgB;
    private String pmA;
    private String pmB;

    @BeforeAll
    void start() {
        server = TestServer.start("access");
        orgA = server.organization("acme");
        orgB = server.organization("globex");
        pmA = server.token(orgA, "anna", "PM");
        pmB = server.token(orgB, "bert", "PM");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void every_endpoint_needs_a_token_and_only_health_signing_in_and_the_api_docs_are_public() {
        List<App.Endpoint> endpoints = server.app().endpoints();
        assertTrue(endpoints.size() > 10, "endpoints: " + endpoints);
        for (App.Endpoint endpoint : endpoints) {
            String path = endpoint.path()
                    .replace("{version}", "1")
                    .replaceAll("\\{[A-Za-z]+\\}", "3f2c1a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f")
                    .replaceAll("<[A-Za-z]+>", "a/b.drl");
            HttpResult result = server.send(endpoint.method(), path, null, "{}", Map.of());
            if (endpoint.path().startsWith("/health")) {
                assertEquals(200, result.status());
            } else if (endpoint.method().equals("POST") && endpoint.path().equals("/api/session")) {
                assertEquals(400, result.status(), "signing in is public; it needs a token in the body: " + result);
            } else if (endpoint.path().equals("/openapi.json") || endpoint.path().startsWith("/docs")) {
                // the API's contract and its rendering: public, and they name no data of anyone
                assertTrue(result.status() == 200 || result.status() == 404, endpoint + ": " + result.status());
            } else {
                assertEquals(401, result.status(), endpoint + " answered without a token: " + result);
                assertEquals("Bearer", result.header("WWW-Authenticate"));
            }
        }
    }

    @Test
    void an_unknown_revoked_or_malformed_token_is_a_401() {
        assertEquals(401, server.get("/api/me", "af_not-a-real-token").status());
        assertEquals(401, server.send("GET", "/api/me", null, null, Map.of("Authorization", "Basic abc")).status());
        assertEquals(401, server.send("GET", "/api/me", null, null, Map.of("Authorization", "Bearer")).status());
    }

    @Test
    void me_tells_the_caller_who_it_is() {
        JsonNode me = server.get("/api/me", pmA).json();
        assertEquals("anna", me.get("principal").asText());
        assertEquals(orgA, me.get("organizationId").asText());
        assertEquals("acme", me.get("organizationName").asText());
        assertEquals(List.of("PM"), List.of(me.get("roles").get(0).asText()));
    }

    @Test
    void roles_that_may_not_do_something_get_a_403() {
        String approver = server.token(orgA, "apollo", "APPROVER");
        String agentId = server.post("/api/agents", pmA, Blueprints.valid("robot")).json().get("id").asText();
        String agent = server.post("/api/tokens", TestServer.ADMIN_TOKEN, Map.of("principal", "robot",
                "organizationId", orgA, "roles", List.of("AGENT"), "agentId", agentId)).json().get("token").asText();
        String compliance = server.token(orgA, "cora", "COMPLIANCE");

        assertEquals(403, server.post("/api/agents", approver, Blueprints.valid("x")).status());
        assertEquals(403, server.post("/api/agents", compliance, Blueprints.valid("x")).status());
        assertEquals(403, server.get("/api/agents", agent).status());
        assertEquals(403, server.post("/api/tokens", pmA, Map.of("principal", "x", "roles", List.of("ADMIN"))).status());
        assertEquals(403, server.get("/api/tokens", pmA).status());
        assertEquals(403, server.post("/api/organizations", pmA, Map.of("name", "evil")).status());
        assertEquals(403, server.get("/api/audit", pmA).status());
        assertEquals(200, server.get("/api/audit", compliance).status());
        assertEquals(200, server.get("/api/agents", approver).status());
        HttpResult forbidden = server.get("/api/tokens", pmA);
        assertEquals("forbidden", forbidden.json().at("/error/code").asText());
    }

    @Test
    void another_organizations_blueprint_does_not_exist() {
        String id = server.post("/api/agents", pmA, Blueprints.valid("acme secret")).json().get("id").asText();

        assertEquals(404, server.get("/api/agents/" + id, pmB).status());
        assertEquals(404, server.put("/api/agents/" + id, pmB, Blueprints.valid("stolen")).status());
        assertEquals(404, server.delete("/api/agents/" + id, pmB).status());
        assertEquals(404, server.get("/api/agents/" + id + "/versions", pmB).status());
        assertEquals(404, server.get("/api/agents/" + id + "/versions/1", pmB).status());
        assertEquals(0, server.get("/api/agents", pmB).json().get("total").asInt());
        assertEquals("acme secret", server.get("/api/agents/" + id, pmA).json().get("name").asText());
        assertEquals(1, server.get("/api/agents/" + id, pmA).json().get("version").asInt());

        String auditorB = server.token(orgB, "audrey", "COMPLIANCE");
        assertEquals(0, server.get("/api/audit?entityId=" + id, auditorB).json().get("total").asInt());
    }

    @Test
    void tokens_are_listed_without_secrets_and_stop_working_when_revoked() {
        HttpResult issued = server.post("/api/tokens", TestServer.ADMIN_TOKEN,
                Map.of("principal", "temp", "organizationId", orgA, "roles", List.of("PM", "APPROVER")));
        assertEquals(201, issued.status(), issued.body());
        String secret = issued.json().get("token").asText();
        String id = issued.json().get("id").asText();
        assertEquals(200, server.get("/api/me", secret).status());

        HttpResult listed = server.get("/api/tokens?organizationId=" + orgA + "&limit=100", TestServer.ADMIN_TOKEN);
        assertEquals(200, listed.status());
        assertFalse(listed.body().contains(secret));
        assertFalse(listed.body().contains("hash"));
        assertTrue(listed.body().contains(id));

        assertEquals(204, server.delete("/api/tokens/" + id, TestServer.ADMIN_TOKEN).status());
        assertEquals(401, server.get("/api/me", secret).status());
        assertEquals(204, server.delete("/api/tokens/" + id, TestServer.ADMIN_TOKEN).status());
        assertEquals(404, server.delete("/api/tokens/3f2c1a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f", TestServer.ADMIN_TOKEN).status());
        long stored = server.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from api_tokens where token_hash like :s").bind("s", "%" + secret + "%")
                .mapTo(Long.class).one());
        assertEquals(0, stored, "the secret itself is never stored");
    }

    @Test
    void organizations_are_unique_by_name() {
        assertEquals(201, server.post("/api/organizations", TestServer.ADMIN_TOKEN, Map.of("name", "initech")).status());
        HttpResult duplicate = server.post("/api/organizations", TestServer.ADMIN_TOKEN, Map.of("name", "initech"));
        assertEquals(409, duplicate.status());
        JsonNode list = server.get("/api/organizations", TestServer.ADMIN_TOKEN).json();
        assertTrue(list.get("items").toString().contains("initech"));
    }
}
