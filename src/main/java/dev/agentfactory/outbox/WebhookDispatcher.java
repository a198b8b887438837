package dev.agentfactory.outbox;

import dev.agentfactory.Periodic;
import dev.agentfactory.blueprint.CallbackUrls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox: POSTs each callback with its signature until the receiver answers 2xx,
 * retrying with exponential backoff (1 s, 2 s, 4 s ... at most 5 min, 15 attempts). Rows are
 * claimed with {@code FOR UPDATE SKIP LOCKED}, so several server instances share the work.
 */
public final class WebhookDispatcher {
    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    static final int MAX_ATTEMPTS = 15;

    public interface Dao {
        record Pending(long id, String url, String secret, String event, String payload, int attempts) {
        }

        @SqlQuery("""
                select id, url, secret, event, payload::text as payload, attempts from outbox
                 where delivered_at is null and failed_at is null and next_attempt_at <= now()
                 order by id limit :limit
                 for update skip locked
                """)
        @RegisterConstructorMapper(Pending.class)
        List<Pending> claim(@Bind("limit") int limit);

        @SqlUpdate("update outbox set delivered_at = now(), attempts = attempts + 1, last_error = null where id = :id")
        void delivered(@Bind("id") long id);

        @SqlUpdate("""
                update outbox set attempts = attempts + 1, last_error = :error,
                       next_attempt_at = now() + make_interval(secs => :delaySeconds),
                       failed_at = case when attempts + 1 >= :maxAttempts then now() end
                 where id = :id
                """)
        void failed(@Bind("id") long id, @Bind("error") String error, @Bind("delaySeconds") long delaySeconds,
                    @Bind("maxAttempts") int maxAttempts);

        @SqlQuery("select count(*) from outbox where delivered_at is null and failed_at is null")
        long backlog();
    }

    private final Jdbi jdbi;
    private final Set<String> allowedHosts;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public WebhookDispatcher(Jdbi jdbi, Set<String> allowedHosts) {
        this.jdbi = jdbi;
        this.allowedHosts = Set.copyOf(allowedHosts);
    }

    public Periodic start() {
        return Periodic.every("webhooks", Duration.ofMillis(250), this::deliverDue);
    }

    /** One round: every due callback is tried once. */
    void deliverDue() {
        jdbi.useTransaction(handle -> {
            Dao dao = handle.attach(Dao.class);
            for (Dao.Pending pending : dao.claim(5)) {
                String error = deliver(pending);
                if (error == null) {
                    dao.delivered(pending.id());
                } else {
                    long delay = Math.min(300, 1L << Math.min(pending.attempts(), 9));
                    dao.failed(pending.id(), error, delay, MAX_ATTEMPTS);
                    log.warn("callback {} to {} failed (attempt {}): {}", pending.id(), pending.url(),
                            pending.attempts() + 1, error);
                }
            }
        });
    }

    private String deliver(Dao.Pending pending) {
        if (!CallbackUrls.allowed(pending.url(), allowedHosts)) {
            return "host not on AF_CALLBACK_HOSTS";
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(pending.url()))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .header(Signatures.HEADER, Signatures.sign(pending.secret(), pending.payload()))
                .header("X-AgentFactory-Event", pending.event())
                .header("X-AgentFactory-Delivery", String.valueOf(pending.id()))
                .header("X-AgentFactory-Timestamp", Instant.now().toString())
                .POST(HttpRequest.BodyPublishers.ofString(pending.payload()))
                .build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    public long backlog() {
        return jdbi.withExtension(Dao.class, Dao::backlog);
    }
}
