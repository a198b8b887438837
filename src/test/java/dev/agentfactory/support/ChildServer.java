package dev.agentfactory.support;

import static org.awaitility.Awaitility.await;

import dev.agentfactory.Main;
import dev.agentfactory.web.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The server as {@code java -jar} runs it, in a JVM of its own: embedded PostgreSQL in
 * {@code dataDir}, the admin token {@link TestServer#ADMIN_TOKEN}, a fixed port.
 */
public final class ChildServer implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ChildJvm jvm;
    private final String base;

    private ChildServer(ChildJvm jvm, int port) {
        this.jvm = jvm;
        this.base = "http://127.0.0.1:" + port;
    }

    public static ChildServer start(Path dataDir, Path rulesDir, int port) {
        Map<String, String> env = new HashMap<>();
        env.put("AF_DATA_DIR", dataDir.toString());
        env.put("AF_RULES_DIR", rulesDir.toString());
        env.put("AF_ADMIN_TOKEN", TestServer.ADMIN_TOKEN);
        env.put("AF_HOST", "127.0.0.1");
        env.put("AF_PORT", Integer.toString(port));
        return new ChildServer(ChildJvm.start(Main.class, env), port);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code /health/ready} answers 200; fails with the server's output if it exits first. */
    public ChildServer awaitReady() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> !jvm.isAlive() || isReady());
        if (!jvm.isAlive()) {
            throw new AssertionError("the server exited; its output:\n" + jvm.output());
        }
        return this;
    }

    private boolean isReady() {
        try {
            return get("/health/ready", null).status() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    public ChildJvm jvm() {
        return jvm;
    }

    public HttpResult get(String path, String token) {
        return send(request(path, token).GET());
    }

    public HttpResult post(String path, String token, Object body) {
        return send(request(path, token).POST(HttpRequest.BodyPublishers.ofString(
                body instanceof String s ? s : Json.write(body))));
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
        jvm.close();
    }
}
