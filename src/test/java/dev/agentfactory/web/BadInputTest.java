package dev.agentfactory.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input gets a clear 4xx in the one error shape, naming the field, and writes nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    private TestServer server;
    private String pm;
    private long rowsBefore;

    @BeforeAll
    void start() {
        server = TestServer.start("badinput");
        pm = server.token(server.defaultOrganizationId(), "pm", "PM");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @BeforeEach
    void countRows() {
        rowsBefore = writtenRows();
    }

    @Test
    void malformed_json_is_a_400_saying_where() {
        HttpResult result = server.post("/api/agents", pm, "{\"name\": \"x\",");
        assertError(result, 400, "body");
        assertTrue(result.json().at("/error/message").asText().contains("malformed JSON"));
    }

    @Test
    void an_empty_body_or_a_non_object_is_a_400() {
        assertError(server.post("/api/agents", pm, ""), 400, "body");
        assertError(server.post("/api/agents", pm, "[1,2]"), 400, "body");
        assertError(server.post("/api/agents", pm, "\"name\""), 400, "body");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "actionConfig | riskThreshold | \"0.5\"",
        "actionConfig | requiredApprovals | 1.5",
        "actionConfig | allowedActionTypes | \"SendSMS\"",
        "validationConfig | requireApprovalForAllActions | \"yes\"",
        "triggerConfig | eventTriggers | 7",
    })
    void a_wrong_type_is_a_400_naming_the_field(String section, String field, String json) {
        String body = "{\"name\":\"typed\",\"" + section + "\":{\"" + field + "\":" + json + "}}";
        assertError(server.post("/api/agents", pm, body), 400, section + "." + field);
    }

    @Test
    void a_wrong_type_for_the_name_is_a_400() {
        assertError(server.post("/api/agents", pm, "{\"name\": 42}"), 400, "name");
    }

    @Test
    void unknown_fields_are_refused_with_the_allowed_ones() {
        HttpResult top = server.post("/api/agents", pm, Blueprints.with(Blueprints.valid("x"), null, "colour", "red"));
        assertError(top, 400, "colour");
        assertTrue(top.json().at("/error/details/0/problem").asText().contains("allowed fields"));
        assertError(server.post("/api/agents", pm,
                Blueprints.with(Blueprints.valid("x"), "actionConfig", "maxDailyActionz", 3)), 400,
                "actionConfig.maxDailyActionz");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "actionConfig | overrideMode | Sometimes",
        "actionConfig | maxAllowedScope | Galaxy",
        "contextConfig | accessLevel | Everything",
        "triggerConfig | mode | Chaotic",
        "validationConfig | intensity | Extreme",
    })
    void unknown_enum_values_list_the_allowed_ones(String section, String field, String value) {
        HttpResult result = server.post("/api/agents", pm,
                Blueprints.with(Blueprints.valid("x"), section, field, value));
        assertError(result, 400, section + "." + field);
        assertTrue(result.json().at("/error/details/0/problem").asText().contains("allowed values"), result.body());
    }

    @Test
    void an_unknown_industry_profile_lists_the_allowed_ones() {
        HttpResult result = server.post("/api/agents", pm, Blueprints.with(Blueprints.valid("x"), null,
                "industryProfile", "Piracy"));
        assertError(result, 400, "industryProfile");
        assertTrue(result.json().at("/error/details/0/problem").asText().contains("Mortgage"));
    }

    @Test
    void a_missing_or_blank_name_is_a_400() {
        Map<String, Object> noName = Blueprints.valid("x");
        noName.remove("name");
        assertError(server.post("/api/agents", pm, noName), 400, "name");
        assertError(server.post("/api/agents", pm, Blueprints.with(noName, null, "name", "   ")), 400, "name");
        assertError(server.post("/api/agents", pm, Blueprints.with(noName, null, "name", "n".repeat(201))), 400, "name");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "actionConfig | riskThreshold | 1.5",
        "actionConfig | riskThreshold | -0.1",
        "validationConfig | minConfidenceThreshold | 2",
        "actionConfig | requiredApprovals | 0",
    })
    void numbers_out_of_range_are_a_400(String section, String field, double value) {
        Object number = field.equals("requiredApprovals") ? (Object) (int) value : (Object) value;
        assertError(server.post("/api/agents", pm, Blueprints.with(Blueprints.valid("x"), section, field, number)),
                400, section + "." + field);
    }

    @Test
    void bad_durations_are_a_400() {
        assertError(server.post("/api/agents", pm,
                Blueprints.with(Blueprints.valid("x"), "actionConfig", "approvalTimeout", "tomorrow")), 400,
                "actionConfig.approvalTimeout");
        assertError(server.post("/api/agents", pm,
                Blueprints.with(Blueprints.valid("x"), "actionConfig", "approvalTimeout", "-PT1H")), 400,
                "actionConfig.approvalTimeout");
        assertError(server.post("/api/agents", pm, Blueprints.with(Blueprints.valid("x"), "actionConfig",
                "actionConstraints", Map.of("cooldownPeriod", "a while"))), 400,
                "actionConfig.actionConstraints.cooldownPeriod");
    }

    @Test
    void every_problem_is_reported_at_once() {
        Map<String, Object> body = Blueprints.with(Blueprints.valid(" "), "actionConfig", "riskThreshold", 3.0);
        HttpResult result = server.post("/api/agents", pm, body);
        assertEquals(400, result.status());
        assertTrue(result.errorFields().containsAll(List.of("name", "actionConfig.riskThreshold")), result.body());
    }

    @Test
    void a_body_over_one_mebibyte_is_a_413() {
        String huge = "{\"name\":\"big\",\"description\":\"" + "a".repeat(1_100_000) + "\"}";
        HttpResult result = server.post("/api/agents", pm, huge);
        assertEquals(413, result.status(), result.body());
        assertEquals("payload_too_large", result.json().at("/error/code").asText());
        assertEquals(rowsBefore, writtenRows());
    }

    @Test
    void non_uuid_ids_are_a_400_naming_the_parameter() {
        assertError(server.get("/api/agents/not-a-uuid", pm), 400, "id");
        assertError(server.put("/api/agents/123", pm, Blueprints.valid("x")), 400, "id");
        assertError(server.delete("/api/tokens/xyz", TestServer.ADMIN_TOKEN), 400, "id");
    }

    @Test
    void bad_query_parameters_are_a_400_naming_them() {
        assertError(server.get("/api/agents?limit=101", pm), 400, "limit");
        assertError(server.get("/api/agents?limit=abc", pm), 400, "limit");
        assertError(server.get("/api/agents?page=0", pm), 400, "page");
        assertError(server.get("/api/agents?status=Sleeping", pm), 400, "status");
        assertError(server.get("/api/audit?from=yesterday", TestServer.ADMIN_TOKEN), 400, "from");
    }

    @Test
    void a_bad_if_match_is_a_400() {
        String id = server.post("/api/agents", pm, Blueprints.valid("etag")).json().get("id").asText();
        rowsBefore = writtenRows();
        assertError(server.put("/api/agents/" + id, pm, Blueprints.valid("x"), "If-Match", "\"abc\""), 400, "If-Match");
    }

    @Test
    void unknown_routes_are_a_json_404_and_wrong_methods_a_405() {
        HttpResult unknown = server.get("/api/nothing-here", pm);
        assertEquals(404, unknown.status());
        assertEquals("not_found", unknown.json().at("/error/code").asText());
        HttpResult wrongMethod = server.send("PATCH", "/api/agents", pm, "{}", Map.of());
        assertEquals(405, wrongMethod.status());
        assertEquals("method_not_allowed", wrongMethod.json().at("/error/code").asText());
    }

    @Test
    void bad_token_requests_name_the_field() {
        assertError(server.post("/api/tokens", TestServer.ADMIN_TOKEN,
                Map.of("principal", "x", "roles", List.of("KING"))), 400, "roles[0]");
        assertError(server.post("/api/tokens", TestServer.ADMIN_TOKEN,
                Map.of("principal", "bad name!", "roles", List.of("PM"))), 400, "principal");
        assertError(server.post("/api/tokens", TestServer.ADMIN_TOKEN,
                Map.of("principal", "x", "roles", List.of())), 400, "roles");
        assertError(server.post("/api/tokens", TestServer.ADMIN_TOKEN, Map.of("principal", "x", "roles", List.of("PM"),
                "organizationId", "00000000-0000-0000-0000-000000000000")), 400, "organizationId");
        assertError(server.post("/api/organizations", TestServer.ADMIN_TOKEN, Map.of("name", "")), 400, "name");
    }

    private void assertError(HttpResult result, int status, String field) {
        assertEquals(status, result.status(), result.body());
        JsonNode error = result.json().get("error");
        assertFalse(error.get("code").asText().isEmpty());
        assertFalse(error.get("message").asText().isEmpty());
        assertTrue(result.errorFields().contains(field), "expected a detail for " + field + ": " + result.body());
        assertFalse(result.body().contains("Exception"), "no stack traces or exception names: " + result.body());
        assertEquals(rowsBefore, writtenRows(), "a refused request writes nothing");
    }

    private long writtenRows() {
        return server.jdbi().withHandle(h -> h.createQuery(
                "select (select count(*) from blueprints) + (select count(*) from audit_log) + (select count(*) from api_tokens)")
                .mapTo(Long.class).one());
    }
}
