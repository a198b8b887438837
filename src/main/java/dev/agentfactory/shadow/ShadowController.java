package dev.agentfactory.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.web.Ids;
import dev.agentfactory.web.JsonBody;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/** Shadow mode: a candidate decides beside the live policy; its report, promote, drop. */
public final class ShadowController {
    private static final int DEFAULT_DIFFERENCES = 100;

    private final ShadowService shadows;

    public ShadowController(ShadowService shadows) {
        this.shadows = shadows;
    }

    public void routes(JavalinConfig config) {
        config.routes.post("/api/shadows", ctx -> ctx.status(201).json(shadows.start(Caller.of(ctx),
                JsonBody.read(ctx, ShadowService.Start.class))), Role.COMPLIANCE, Role.PM, Role.ADMIN);
        config.routes.get("/api/shadows", ctx -> ctx.json(java.util.Map.of("items", shadows.list(Caller.of(ctx)))),
                Role.COMPLIANCE, Role.PM, Role.ADMIN);
        config.routes.get("/api/shadows/{id}", this::report, Role.COMPLIANCE, Role.PM, Role.ADMIN);
        config.routes.post("/api/shadows/{id}/promote", ctx -> ctx.json(shadows.promote(Caller.of(ctx),
                Ids.pathId(ctx, "id"), reason(ctx))), Role.COMPLIANCE, Role.ADMIN);
        config.routes.post("/api/shadows/{id}/drop", ctx -> ctx.json(shadows.drop(Caller.of(ctx),
                Ids.pathId(ctx, "id"))), Role.COMPLIANCE, Role.PM, Role.ADMIN);
    }

    private void report(Context ctx) {
        int limit = dev.agentfactory.web.QueryParams.text(ctx, "limit").map(text -> {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new dev.agentfactory.web.BadRequestException("limit", "must be a whole number");
            }
        }).orElse(DEFAULT_DIFFERENCES);
        ctx.json(shadows.report(Caller.of(ctx), Ids.pathId(ctx, "id"), limit));
    }

    private static String reason(Context ctx) {
        if (ctx.body().isBlank()) {
            return null;
        }
        JsonNode reason = JsonBody.tree(ctx).get("reason");
        if (reason != null && !reason.isNull() && (!reason.isTextual() || reason.asText().length() > 1000)) {
            throw new dev.agentfactory.web.BadRequestException("reason", "must be text of at most 1000 characters");
        }
        return reason == null || reason.isNull() ? null : reason.asText();
    }
}
