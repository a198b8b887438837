package dev.agentfactory.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.Ids;
import dev.agentfactory.web.Paging;
import dev.agentfactory.web.JsonBody;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.UUID;

/** Deploy, hot reload, roll back, pause, resume, undeploy; history and generated code. */
public final class DeploymentController {
    private static final Role[] OPERATORS = {Role.PM, Role.ADMIN};
    private static final Role[] READERS = {Role.PM, Role.COMPLIANCE, Role.APPROVER, Role.ADMIN};

    private final DeploymentService deployments;
    private final AgentLifecycle lifecycle;
    private final DeploymentQueries queries;

    public DeploymentController(DeploymentService deployments, AgentLifecycle lifecycle, DeploymentQueries queries) {
        this.deployments = deployments;
        this.lifecycle = lifecycle;
        this.queries = queries;
    }

    public void routes(JavalinConfig config) {
        config.routes.post("/api/agents/{id}/deploy", this::deploy, OPERATORS);
        config.routes.post("/api/agents/{id}/rollback", this::rollback, OPERATORS);
        config.routes.post("/api/agents/{id}/undeploy",
                ctx -> ctx.json(lifecycle.undeploy(Caller.of(ctx), Ids.pathId(ctx, "id"))), OPERATORS);
        config.routes.post("/api/agents/{id}/pause",
                ctx -> ctx.json(lifecycle.pause(Caller.of(ctx), Ids.pathId(ctx, "id"))), OPERATORS);
        config.routes.post("/api/agents/{id}/resume",
                ctx -> ctx.json(lifecycle.resume(Caller.of(ctx), Ids.pathId(ctx, "id"))), OPERATORS);
        config.routes.get("/api/agents/{id}/deployments", ctx -> ctx.json(queries.history(
                Caller.of(ctx).organizationId(), Ids.pathId(ctx, "id"), Paging.from(ctx))), READERS);
        config.routes.get("/api/agents/{id}/code", this::code, READERS);
    }

    /** 201 with the live deployment, or 202 with the approval it waits for. */
    private void deploy(Context ctx) {
        DeployResult result = deployments.deploy(Caller.of(ctx), Ids.pathId(ctx, "id"));
        ctx.status(result.pending() ? 202 : 201).json(result);
    }

    private void rollback(Context ctx) {
        UUID id = Ids.pathId(ctx, "id");
        Integer toVersion = null;
        if (!ctx.body().isBlank()) {
            JsonNode body = JsonBody.tree(ctx);
            JsonNode version = body.get("toVersion");
            if (body.size() > (version == null ? 0 : 1)) {
                throw new BadRequestException("body", "only {\"toVersion\": n} is allowed");
            }
            if (version != null && !version.isNull()) {
                if (!version.isIntegralNumber() || version.asInt() < 1) {
                    throw new BadRequestException("toVersion", "must be a positive integer");
                }
                toVersion = version.asInt();
            }
        }
        DeployResult result = deployments.rollback(Caller.of(ctx), id, toVersion);
        ctx.status(result.pending() ? 202 : 201).json(result);
    }

    private void code(Context ctx) {
        Integer version = null;
        String raw = ctx.queryParam("version");
        if (raw != null && !raw.isBlank()) {
            try {
                version = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                throw new BadRequestException("version", "must be a positive integer");
            }
        }
        Map<String, Object> code = queries.code(Caller.of(ctx).organizationId(), Ids.pathId(ctx, "id"), version);
        if (wantsPlainText(ctx.header("Accept"))) {
            // The DRL as a file to read or diff; what the JSON says beside it travels in headers.
            ctx.header("X-Content-Type-Options", "nosniff")
                    .header("X-Blueprint-Version", String.valueOf(code.get("blueprintVersion")))
                    .header("X-Template-Version", String.valueOf(code.get("templateVersion")))
                    .header("X-Live", String.valueOf(code.get("live")))
                    .contentType("text/plain; charset=utf-8").result((String) code.get("drl"));
        } else {
            ctx.json(code);
        }
    }

    /** {@code Accept: text/plain} (without asking for JSON as well) gets the DRL as text. */
    static boolean wantsPlainText(String accept) {
        return accept != null && accept.contains("text/plain") && !accept.contains("application/json");
    }
}
