package dev.agentfactory.monitoring;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.Ids;
import dev.agentfactory.web.Paging;
import dev.agentfactory.web.QueryParams;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** {@code /api/monitoring/agents}: every agent at a glance, one agent's numbers, one agent's log. */
public final class MonitoringController {
    private static final Role[] READERS = {Role.PM, Role.COMPLIANCE, Role.APPROVER, Role.ADMIN};

    private final MonitoringQueries queries;

    public MonitoringController(MonitoringQueries queries) {
        this.queries = queries;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/api/monitoring/agents", ctx -> ctx.json(Map.of("items",
                queries.agents(Caller.of(ctx).organizationId()))), READERS);
        config.routes.get("/api/monitoring/agents/{id}/metrics", this::metrics, READERS);
        config.routes.get("/api/monitoring/agents/{id}/logs", ctx -> ctx.json(queries.logs(
                Caller.of(ctx).organizationId(), Ids.pathId(ctx, "id"), Paging.from(ctx))), READERS);
    }

    /** {@code from} and {@code to} default to the last 24 hours; {@code granularity} is hour (default) or day. */
    private void metrics(Context ctx) {
        Instant to = QueryParams.instant(ctx, "to").orElse(Instant.now());
        Instant from = QueryParams.instant(ctx, "from").orElse(to.minus(Duration.ofDays(1)));
        if (!from.isBefore(to)) {
            throw new BadRequestException("from", "must be before to");
        }
        String granularity = QueryParams.text(ctx, "granularity").orElse("hour");
        if (!granularity.equals("hour") && !granularity.equals("day")) {
            throw new BadRequestException("granularity", "'" + granularity + "' is not allowed; allowed values: hour, day");
        }
        ctx.json(queries.metrics(Caller.of(ctx).organizationId(), Ids.pathId(ctx, "id"), from, to, granularity));
    }
}
