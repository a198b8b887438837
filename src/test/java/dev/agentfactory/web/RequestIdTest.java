package dev.agentfactory.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** X-Request-Id: kept from the request (or made), returned, in every log line and audit entry of the request. */
class RequestIdTest {

    @Test
    void a_request_id_follows_the_request_into_the_response_the_log_and_the_audit_trail() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        try (TestServer server = TestServer.start("requestid")) {
            String pm = server.token(server.defaultOrganizationId(), "rid", "PM");

            HttpResult created = server.send("POST", "/api/agents", pm, Blueprints.valid("Traced"),
                    Map.of("X-Request-Id", "req-123-abc"));
            HttpResult refused = server.send("POST", "/api/agents", pm, "{bad json",
                    Map.of("X-Request-Id", "req-456-def"));
            HttpResult generated = server.get("/api/me", pm);

            assertEquals("req-123-abc", created.header("X-Request-Id"));
            assertEquals("req-456-def", refused.header("X-Request-Id"));
            assertNotNull(generated.header("X-Request-Id"));
            JsonNode audit = server.get("/api/audit?entityId=" + created.json().get("id").asText(),
                    TestServer.ADMIN_TOKEN).json();
            assertEquals("req-123-abc", audit.at("/items/0/traceId").asText());
            assertTrue(captured.list.stream().anyMatch(event -> "req-456-def".equals(event.getMDCPropertyMap().get("requestId"))
                    && event.getFormattedMessage().contains("400")), "the warning about the bad request carries its id");
            HttpResult insane = server.send("GET", "/api/me", pm, null, Map.of("X-Request-Id", "bad id with spaces"));
            assertTrue(!insane.header("X-Request-Id").contains(" "), "an unusable id is replaced");
        } finally {
            root.detachAppender(captured);
        }
    }
}
