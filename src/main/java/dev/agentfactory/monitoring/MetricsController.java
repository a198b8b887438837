package dev.agentfactory.monitoring;

import dev.agentfactory.auth.AuthService;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.web.ForbiddenException;
import dev.agentfactory.web.RequestIds;
import dev.agentfactory.web.UnauthorizedException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * {@code GET /metrics} in Prometheus text format. Protected by a token: {@code AF_METRICS_TOKEN}
 * when it is set (give it to Prometheus as its bearer token), otherwise the system administrator's:
 * the series span every organization, so an organization's ADMIN may not read them.
 */
public final class MetricsController {
    private final Metrics metrics;
    private final AuthService authService;
    private final Optional<String> metricsToken;

    public MetricsController(Metrics metrics, AuthService authService, Optional<String> metricsToken) {
        this.metrics = metrics;
        this.authService = authService;
        this.metricsToken = metricsToken;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/metrics", this::scrape);
    }

    private void scrape(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (metricsToken.isPresent()) {
            String given = authorization == null || !authorization.startsWith("Bearer ") ? "" : authorization.substring(7);
            if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                    metricsToken.get().getBytes(StandardCharsets.UTF_8))) {
                throw new UnauthorizedException("send 'Authorization: Bearer <AF_METRICS_TOKEN>'");
            }
        } else {
            Caller caller = authService.authenticate(authorization, RequestIds.of(ctx));
            if (!caller.systemAdmin()) {
                throw new ForbiddenException("the metrics span every organization: they need the system administrator's"
                        + " token (or AF_METRICS_TOKEN, when the operator sets one)");
            }
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }
}
