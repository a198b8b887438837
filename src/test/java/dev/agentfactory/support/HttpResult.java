package dev.agentfactory.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.web.Json;
import java.net.http.HttpHeaders;

/** A response as tests look at it. */
public record HttpResult(int status, HttpHeaders headers, String body) {

    public JsonNode json() {
        return Json.read(body, JsonNode.class);
    }

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    /** The {@code details[].field} values of an error response. */
    public java.util.List<String> errorFields() {
        java.util.List<String> fields = new java.util.ArrayList<>();
        json().path("error").path("details").forEach(d -> fields.add(d.path("field").asText()));
        return fields;
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}
