package dev.agentfactory.audit;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.web.Paging;
import dev.agentfactory.web.QueryParams;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/** {@code GET /api/audit}: the organization's trail, newest first, for admins and compliance. */
public final class AuditController {
    private final AuditLog auditLog;

    public AuditController(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/api/audit", this::list, Role.ADMIN, Role.COMPLIANCE);
    }

    private void list(Context ctx) {
        AuditFilter filter = new AuditFilter(
                QueryParams.text(ctx, "entityId").orElse(null),
                QueryParams.text(ctx, "actor").orElse(null),
                QueryParams.text(ctx, "action").orElse(null),
                QueryParams.instant(ctx, "from").orElse(null),
                QueryParams.instant(ctx, "to").orElse(null));
        ctx.json(auditLog.find(Caller.of(ctx).organizationId(), filter, Paging.from(ctx)));
    }
}
