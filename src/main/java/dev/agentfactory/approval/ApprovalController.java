package dev.agentfactory.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.web.ApiException;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.Ids;
import dev.agentfactory.web.JsonBody;
import dev.agentfactory.web.Paging;
import dev.agentfactory.web.QueryParams;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;

/** {@code /api/approvals}: the queue, one request, votes, and the live stream of queue changes. */
public final class ApprovalController {
    private static final Set<String> STATUSES = Set.of("pending", "approved", "rejected", "expired");
    private static final Set<String> KINDS = Set.of("ACTION", "DEPLOYMENT");
    private static final Role[] DECIDERS = {Role.APPROVER, Role.ADMIN};

    private final ApprovalService approvals;
    private final ApprovalEvents events;

    public ApprovalController(ApprovalService approvals, ApprovalEvents events) {
        this.approvals = approvals;
        this.events = events;
    }

    public void routes(JavalinConfig config) {
        // Javalin answers an empty 200 to a stream request without this header: say what is missing instead.
        config.routes.beforeMatched("/api/approvals/stream", ctx -> {
            String accept = ctx.header("Accept");
            if (accept == null || !accept.contains("text/event-stream")) {
                throw new ApiException(406, "not_acceptable", "this is a Server-Sent-Events stream: send the header"
                        + " 'Accept: text/event-stream'", List.of());
            }
        });
        config.routes.sse("/api/approvals/stream", client -> {
            client.keepAlive();
            events.subscribe(Caller.of(client.ctx()).organizationId(), client);
        }, DECIDERS);
        config.routes.get("/api/approvals", this::list, DECIDERS);
        config.routes.get("/api/approvals/{id}", ctx -> ctx.json(approvals.get(Caller.of(ctx), Ids.pathId(ctx, "id"))),
                DECIDERS);
        config.routes.post("/api/approvals/{id}/approve", ctx -> vote(ctx, true), DECIDERS);
        config.routes.post("/api/approvals/{id}/reject", ctx -> vote(ctx, false), DECIDERS);
    }

    private void list(Context ctx) {
        String status = QueryParams.text(ctx, "status").orElse("pending");
        if (!STATUSES.contains(status)) {
            throw new BadRequestException("status", "'" + status + "' is not allowed; allowed values: " + STATUSES);
        }
        String kind = QueryParams.text(ctx, "kind").orElse(null);
        if (kind != null && !KINDS.contains(kind)) {
            throw new BadRequestException("kind", "'" + kind + "' is not allowed; allowed values: ACTION, DEPLOYMENT");
        }
        ctx.json(approvals.list(Caller.of(ctx), new ApprovalService.Filter(status, kind,
                QueryParams.uuid(ctx, "agentId").orElse(null), QueryParams.text(ctx, "actionType").orElse(null)),
                Paging.from(ctx)));
    }

    private void vote(Context ctx, boolean approve) {
        String comment = null;
        JsonNode payload = null;
        GrantTerms grant = null;
        if (!ctx.body().isBlank()) {
            JsonNode body = JsonBody.tree(ctx);
            JsonNode text = body.get("comment");
            payload = approve ? body.get("payload") : null;
            JsonNode grantNode = approve ? body.get("grant") : null;
            grant = grantNode == null || grantNode.isNull() ? null : GrantTerms.of(grantNode);
            if (body.size() > (text == null ? 0 : 1) + (payload == null ? 0 : 1) + (grantNode == null ? 0 : 1)) {
                throw new BadRequestException("body", approve
                        ? "only {\"comment\": \"...\", \"payload\": {...}, \"grant\": {...}} is allowed"
                        : "only {\"comment\": \"...\"} is allowed");
            }
            if (payload != null && !payload.isObject()) {
                throw new BadRequestException("payload", "must be a JSON object: the action's payload as approved");
            }
            if (text != null && !text.isNull() && !text.isTextual()) {
                throw new BadRequestException("comment", "must be a string");
            }
            comment = text == null || text.isNull() ? null : text.asText();
        }
        ctx.json(approvals.vote(Caller.of(ctx), Ids.pathId(ctx, "id"), approve, comment, payload, grant));
    }
}
