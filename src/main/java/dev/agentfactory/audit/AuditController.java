package dev.agentfactory.audit;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.web.Paging;
import dev.agentfactory.web.QueryParams;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;

/** {@code GET /api/audit}: the organization's trail, newest first, for admins and compliance. */
public final class AuditController {
    private final AuditLog auditLog;
    private final AuditVerifier verifier;

    /** {@code GET /api/audit/verify}: the caller's organization's chain, the system-wide one, and the key that checked them. */
    record Verification(ChainReport organization, ChainReport system, KeyInfo key) {
    }

    record KeyInfo(int epoch, String fingerprint) {
    }

    public AuditController(AuditLog auditLog, AuditVerifier verifier) {
        this.auditLog = auditLog;
        this.verifier = verifier;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/api/audit", this::list, Role.ADMIN, Role.COMPLIANCE);
        config.routes.get("/api/audit/verify", ctx -> ctx.json(new Verification(
                verifier.verify(Caller.of(ctx).organizationId()), verifier.verify(null),
                new KeyInfo(verifier.key().epoch(), verifier.key().shortFingerprint()))), Role.ADMIN, Role.COMPLIANCE);
        config.routes.get("/api/audit/export", this::export, Role.ADMIN, Role.COMPLIANCE);
    }

    /** NDJSON for auditors: every entry in id order, with its seal, streamed. */
    private void export(Context ctx) {
        Instant from = QueryParams.instant(ctx, "from").orElse(null);
        Instant to = QueryParams.instant(ctx, "to").orElse(null);
        ctx.contentType("application/x-ndjson");
        ctx.header("Content-Disposition", "attachment; filename=\"audit.ndjson\"");
        auditLog.export(Caller.of(ctx).organizationId(), from, to, ctx.outputStream());
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
