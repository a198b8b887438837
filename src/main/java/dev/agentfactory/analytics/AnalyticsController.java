package dev.agentfactory.analytics;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.QueryParams;
import io.javalin.config.JavalinConfig;

/** Rule and approval analytics for compliance. */
public final class AnalyticsController {
    private final AnalyticsService analytics;

    public AnalyticsController(AnalyticsService analytics) {
        this.analytics = analytics;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/api/analytics/rules", ctx -> ctx.json(analytics.rules(Caller.of(ctx).organizationId(),
                QueryParams.instant(ctx, "from").orElse(null), QueryParams.instant(ctx, "to").orElse(null),
                QueryParams.text(ctx, "unit").orElse(null))), Role.COMPLIANCE, Role.ADMIN);
        config.routes.get("/api/analytics/approvals", ctx -> ctx.json(analytics.approvals(
                Caller.of(ctx).organizationId(), QueryParams.instant(ctx, "from").orElse(null),
                QueryParams.instant(ctx, "to").orElse(null), QueryParams.text(ctx, "fastSeconds").map(text -> {
                    try {
                        return Double.parseDouble(text);
                    } catch (NumberFormatException e) {
                        throw new BadRequestException("fastSeconds", "must be a number of seconds");
                    }
                }).orElse(null))), Role.COMPLIANCE, Role.ADMIN);
    }
}
