package dev.agentfactory.execution;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.web.Ids;
import dev.agentfactory.web.JsonBody;
import dev.agentfactory.web.Paging;
import io.javalin.config.JavalinConfig;

/** Agents report what they executed; everyone who may read a decision reads its receipt and the agent's violations. */
public final class ExecutionController {
    private final ExecutionService executions;

    public ExecutionController(ExecutionService executions) {
        this.executions = executions;
    }

    public void routes(JavalinConfig config) {
        config.routes.post("/api/agents/{id}/decisions/{decisionId}/executed", ctx -> ctx.json(executions.report(
                Caller.of(ctx), Ids.pathId(ctx, "id"), Ids.pathId(ctx, "decisionId"), JsonBody.tree(ctx))),
                Role.AGENT, Role.ADMIN);
        config.routes.get("/api/agents/{id}/decisions/{decisionId}/receipt", ctx -> ctx.json(executions.receipt(
                Caller.of(ctx), Ids.pathId(ctx, "id"), Ids.pathId(ctx, "decisionId"))),
                Role.AGENT, Role.PM, Role.COMPLIANCE, Role.APPROVER, Role.ADMIN);
        config.routes.get("/api/monitoring/agents/{id}/violations", ctx -> ctx.json(executions.violations(
                Caller.of(ctx), Ids.pathId(ctx, "id"), Paging.from(ctx))),
                Role.AGENT, Role.PM, Role.COMPLIANCE, Role.APPROVER, Role.ADMIN);
    }
}
