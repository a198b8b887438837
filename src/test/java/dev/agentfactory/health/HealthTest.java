package dev.agentfactory.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agentfactory.App;
import dev.agentfactory.Config;
import dev.agentfactory.support.HttpResult;
import dev.agentfactory.support.TestServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/** /health follows the database: 503 while it is gone, 200 again once it is back, with no restart. */
class HealthTest {

    @Test
    void health_is_503_while_the_database_is_down_and_recovers_by_itself() throws Exception {
        Path pgData = TestServer.tempDir("af-health-pg");
        int pgPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            pgPort = socket.getLocalPort();
        }
        EmbeddedPostgres database = start(pgData, pgPort);
        Config config = Config.defaults().withWarmUp(java.time.Duration.ZERO).withPort(0).withDataDir(TestServer.tempDir("af-health"))
                .withAdminToken(TestServer.ADMIN_TOKEN)
                .withDatabase(database.getJdbcUrl("postgres", "postgres"), "postgres", "");
        try (App app = App.create(config).start()) {
            assertEquals("UP", health(app).json().get("status").asText());
            assertEquals("UP", health(app).json().get("database").asText());

            database.close();
            awaitHealth(app, status -> status == 503);
            assertEquals("DOWN", health(app).json().get("status").asText());
            assertEquals("DOWN", health(app).json().get("database").asText());

            database = start(pgData, pgPort);
            awaitHealth(app, status -> status == 200);
            HttpResult me = get(app, "/api/me");
            assertEquals(200, me.status(), me.body());
        } finally {
            database.close();
        }
    }

    private static EmbeddedPostgres start(Path dir, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false).setPort(port).start();
    }

    private static void awaitHealth(App app, IntPredicate expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = health(app).status();
            if (expected.test(last)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("health stayed at " + last);
    }

    private static HttpResult health(App app) throws Exception {
        return get(app, "/health");
    }

    private static HttpResult get(App app, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        return new HttpResult(response.statusCode(), response.headers(), response.body());
    }
}
