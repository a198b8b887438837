package dev.agentfactory.runtime;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.Ids;
import dev.agentfactory.web.JsonBody;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/** Agents propose actions and read decisions; compliance asks what-if. */
public final class DecisionController {
    private final DecisionService decisions;
    private final DecisionQueries queries;

    public DecisionController(DecisionService decisions, DecisionQueries queries) {
        this.decisions = decisions;
        this.queries = queries;
    }

    public void routes(JavalinConfig config) {
        config.routes.post("/api/agents/{id}/actions", this::propose, Role.AGENT, Role.ADMIN);
        config.routes.get("/api/agents/{id}/decisions/{decisionId}", ctx -> ctx.json(queries.decision(Caller.of(ctx),
                Ids.pathId(ctx, "id"), Ids.pathId(ctx, "decisionId"))),
                Role.AGENT, Role.PM, Role.COMPLIANCE, Role.APPROVER, Role.ADMIN);
        config.routes.post("/api/validation/action", ctx -> ctx.json(queries.whatIf(Caller.of(ctx),
                JsonBody.read(ctx, DecisionQueries.WhatIf.class))), Role.PM, Role.COMPLIANCE, Role.ADMIN);
    }

    private void propose(Context ctx) {
        String key = ctx.header("Idempotency-Key");
        if (key != null && (key.isBlank() || key.length() > 200)) {
            throw new BadRequestException("Idempotency-Key", "must be 1-200 characters");
        }
        ctx.json(decisions.propose(Caller.of(ctx), Ids.pathId(ctx, "id"), JsonBody.read(ctx, ActionRequest.class), key));
    }
}
