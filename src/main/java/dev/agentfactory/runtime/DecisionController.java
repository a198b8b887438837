package dev.agentfactory.runtime;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.Ids;
import dev.agentfactory.web.JsonBody;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Agents propose actions and read decisions; compliance asks what-if. */
public final class DecisionController {
    private final DecisionService decisions;
    private final DecisionQueries queries;
    private final DecisionWaits waits;

    public DecisionController(DecisionService decisions, DecisionQueries queries, DecisionWaits waits) {
        this.decisions = decisions;
        this.queries = queries;
        this.waits = waits;
    }

    public void routes(JavalinConfig config) {
        config.routes.post("/api/agents/{id}/actions", this::propose, Role.AGENT, Role.ADMIN);
        config.routes.get("/api/agents/{id}/decisions/{decisionId}", this::decision,
                Role.AGENT, Role.PM, Role.COMPLIANCE, Role.APPROVER, Role.ADMIN);
        config.routes.post("/api/validation/action", ctx -> ctx.json(queries.whatIf(Caller.of(ctx),
                JsonBody.read(ctx, DecisionQueries.WhatIf.class))), Role.PM, Role.COMPLIANCE, Role.ADMIN);
    }

    /**
     * One decision; with {@code waitSeconds} a pending one is answered as soon as it is decided (on
     * any instance) or when the wait runs out, whichever comes first, with no thread held meanwhile.
     */
    private void decision(Context ctx) {
        Caller caller = Caller.of(ctx);
        UUID agentId = Ids.pathId(ctx, "id");
        UUID decisionId = Ids.pathId(ctx, "decisionId");
        int waitSeconds = waitSeconds(ctx.queryParam("waitSeconds"));
        if (waitSeconds == 0) {
            ctx.json(queries.decision(caller, agentId, decisionId));
            return;
        }
        CompletableFuture<Void> heard = waits.await(decisionId, Duration.ofSeconds(waitSeconds));
        Map<String, Object> now = queries.decision(caller, agentId, decisionId);
        if (!DecisionStatus.PENDING_APPROVAL.name().equals(now.get("status"))) {
            heard.cancel(false);
            ctx.json(now);
            return;
        }
        ctx.future(() -> heard.thenAccept(ignored -> ctx.json(queries.decision(caller, agentId, decisionId))));
    }

    static int waitSeconds(String value) {
        if (value == null) {
            return 0;
        }
        try {
            int seconds = Integer.parseInt(value.trim());
            if (seconds >= 0 && seconds <= DecisionWaits.MAX_WAIT_SECONDS) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequestException("waitSeconds", "must be a whole number of seconds from 0 to "
                + DecisionWaits.MAX_WAIT_SECONDS);
    }

    private void propose(Context ctx) {
        String key = ctx.header("Idempotency-Key");
        if (key != null && (key.isBlank() || key.length() > 200)) {
            throw new BadRequestException("Idempotency-Key", "must be 1-200 characters");
        }
        ctx.json(decisions.propose(Caller.of(ctx), Ids.pathId(ctx, "id"), JsonBody.read(ctx, ActionRequest.class), key));
    }
}
