package dev.agentfactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentfactory.support.Blueprints;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** The zero-set-up mode: embedded PostgreSQL in the data folder, a generated admin token, data kept across restarts. */
class EmbeddedModeTest {

    @Test
    void data_and_the_generated_admin_token_survive_a_restart() throws Exception {
        Path dataDir = TestServer.tempDir("af-embedded");
        Config config = Config.defaults().withWarmUp(java.time.Duration.ZERO).withPort(0).withDataDir(dataDir);

        String token;
        String id;
        try (App first = App.create(config).start()) {
            Path tokenFile = dataDir.resolve("admin-token");
            assertTrue(Files.exists(tokenFile));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
            token = Files.readString(tokenFile).trim();
            HttpResult created = post(first.port(), token, dev.agentfactory.web.Json.write(Blueprints.valid("Survivor")));
            assertEquals(201, created.status(), created.body());
            id = created.json().get("id").asText();
            // zonky starts PostgreSQL without fsync and with asynchronous commits; ours must be durable.
            assertEquals("on", first.database().jdbi().withHandle(h -> h.createQuery("show fsync")
                    .mapTo(String.class).one()));
            assertEquals("on", first.database().jdbi().withHandle(h -> h.createQuery("show synchronous_commit")
                    .mapTo(String.class).one()));
        }

        // restarted as java -jar starts it: it rehearses decisions first, on its own schema of the embedded database
        try (App second = App.create(config.withWarmUp(java.time.Duration.ofSeconds(2))).start()) {
            assertEquals(token, Files.readString(dataDir.resolve("admin-token")).trim(), "no new token on restart");
            HttpResult fetched = get(second.port(), "/api/agents/" + id, token);
            assertEquals(200, fetched.status(), fetched.body());
            assertEquals("Survivor", fetched.json().get("name").asText());
            HttpResult health = TestServer.awaitReady(second.port());
            assertEquals("DONE", health.json().get("warmUp").get("state").asText(), health.body());
            assertTrue(health.json().get("warmUp").get("decisions").asLong() > 0, health.body());
            HttpResult agents = get(second.port(), "/api/agents", token);
            assertEquals(1, agents.json().get("items").size(), "the rehearsal's agent is not among them: " + agents.body());
        }
    }

    private static HttpResult get(int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new HttpResult(response.statusCode(), response.headers(), response.body());
    }

    private static HttpResult post(int port, String token, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/agents"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        return new HttpResult(response.statusCode(), response.headers(), response.body());
    }
}
