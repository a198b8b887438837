package dev.agentfactory.grant;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.Ids;
import dev.agentfactory.web.Paging;
import dev.agentfactory.web.QueryParams;
import io.javalin.config.JavalinConfig;

/** Standing grants: listed by everyone who reads the queue, revoked by approvers. */
public final class GrantController {
    private static final Role[] READERS = {Role.PM, Role.COMPLIANCE, Role.APPROVER, Role.ADMIN};

    private final Grants grants;

    public GrantController(Grants grants) {
        this.grants = grants;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/api/grants", ctx -> {
            String status = QueryParams.text(ctx, "status").orElse("active");
            if (!status.equals("active") && !status.equals("all")) {
                throw new BadRequestException("status", "must be active or all");
            }
            ctx.json(grants.list(Caller.of(ctx), QueryParams.uuid(ctx, "agentId").orElse(null),
                    status.equals("active"), Paging.from(ctx)));
        }, READERS);
        config.routes.get("/api/grants/{id}", ctx -> ctx.json(grants.get(Caller.of(ctx), Ids.pathId(ctx, "id"))),
                READERS);
        config.routes.post("/api/grants/{id}/revoke", ctx -> ctx.json(grants.revoke(Caller.of(ctx),
                Ids.pathId(ctx, "id"))), Role.APPROVER, Role.ADMIN);
    }
}
