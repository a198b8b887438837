package dev.agentfactory.support;

import dev.agentfactory.App;
import dev.agentfactory.Config;
import dev.agentfactory.web.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Jdbi;

/** The real server on a random port, on its own schema, with a known admin token, and an HTTP client for it. */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_TOKEN = "af_test-admin-token-0123456789";
    /** Database connections per test server (the default 16 for each of several servers would exhaust PostgreSQL). */
    public static final int POOL_SIZE = 6;

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final App app;
    private final Config config;
    private final String base;

    private TestServer(App app, Config config) {
        this.app = app;
        this.config = config;
        this.base = "http://127.0.0.1:" + app.port();
    }

    public static TestServer start(String name) {
        return start(name, c -> c);
    }

    public static TestServer start(String name, UnaryOperator<Config> customize) {
        TestDatabase.Target db = TestDatabase.newSchema(name);
        Config config = customize.apply(Config.defaults()
                .withPort(0)
                .withDatabase(db.url(), db.user(), db.password())
                .withDataDir(tempDir("af-data"))
                .withRulesDir(Path.of("rules"))
                .withAdminToken(ADMIN_TOKEN)
                // warm-ups only cost the tests time; RulesWarmUpTest and RehearsalTest turn them on
                .withRulesWarmUp(java.time.Duration.ZERO)
                .withWarmUp(java.time.Duration.ZERO)
                // several servers per test, and the developer's own beside them: PostgreSQL allows 100 connections
                .withDbPoolSize(POOL_SIZE));
        return new TestServer(App.create(config).start(), config);
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops this server and starts a new one on the same database, data and rules folders. */
    public TestServer restart() {
        app.close();
        return new TestServer(App.create(config).start(), config);
    }

    /** Stops this server and starts a new one on the same database and folders, its configuration changed. */
    public TestServer restart(UnaryOperator<Config> change) {
        app.close();
        Config changed = change.apply(config);
        return new TestServer(App.create(changed).start(), changed);
    }

    /** A second server on the same database and folders, as another instance sharing the database would be. */
    public TestServer twin() {
        return new TestServer(App.create(config).start(), config);
    }

    /** A second server on the same database, its configuration changed (another folder, not watching, ...). */
    public TestServer twin(UnaryOperator<Config> change) {
        Config changed = change.apply(config);
        return new TestServer(App.create(changed).start(), changed);
    }

    public Jdbi jdbi() {
        return app.database().jdbi();
    }

    public Config config() {
        return config;
    }

    public App app() {
        return app;
    }

    public String url(String path) {
        return base + path;
    }

    public HttpResult get(String path, String token) {
        return send(request(path, token).GET());
    }

    public HttpResult delete(String path, String token) {
        return send(request(path, token).DELETE());
    }

    public HttpResult post(String path, String token, Object body) {
        return send(request(path, token).POST(bodyOf(body)));
    }

    public HttpResult put(String path, String token, Object body, String... headers) {
        HttpRequest.Builder builder = request(path, token).PUT(bodyOf(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return send(builder);
    }

    public HttpResult send(String method, String path, String token, Object body, Map<String, String> headers) {
        HttpRequest.Builder builder = request(path, token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : bodyOf(body));
        headers.forEach(builder::setHeader); // replaces the default Content-Type when a test sends its own
        return send(builder);
    }

    /** Issues a token through the API as the admin and returns its secret. */
    public String token(String organizationId, String principal, String... roles) {
        HttpResult result = post("/api/tokens", ADMIN_TOKEN, Map.of(
                "principal", principal, "organizationId", organizationId, "roles", List.of(roles)));
        if (result.status() != 201) {
            throw new AssertionError("could not issue a token: " + result);
        }
        return result.json().get("token").asText();
    }

    /** Creates an organization through the API and returns its id. */
    public String organization(String name) {
        HttpResult result = post("/api/organizations", ADMIN_TOKEN, Map.of("name", name));
        if (result.status() != 201) {
            throw new AssertionError("could not create organization: " + result);
        }
        return result.json().get("id").asText();
    }

    public String defaultOrganizationId() {
        return get("/api/me", ADMIN_TOKEN).json().get("organizationId").asText();
    }

    /** {@code /health} of the server on {@code port} once it says ready (200), within 60 s; fails otherwise. */
    public static HttpResult awaitReady(int port) throws InterruptedException {
        URI health = URI.create("http://127.0.0.1:" + port + "/health");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResult last = send(HttpRequest.newBuilder(health));
        while (last.status() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not ready within 60 s: " + last);
            }
            Thread.sleep(100);
            last = send(HttpRequest.newBuilder(health));
        }
        return last;
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private static HttpRequest.BodyPublisher bodyOf(Object body) {
        if (body instanceof byte[] bytes) {
            return HttpRequest.BodyPublishers.ofByteArray(bytes);
        }
        return HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : Json.write(body));
    }

    private static HttpResult send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new HttpResult(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        app.close();
    }
}
