package dev.agentfactory.customrule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.Ids;
import dev.agentfactory.web.JsonBody;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * {@code /api/validation/rules}: the caller's organization's custom rules. The listing of all
 * rules, shared and custom, is {@code GET /api/validation/rules} in the validation controller.
 */
public final class CustomRuleController {
    private static final Role[] READERS = {Role.PM, Role.COMPLIANCE, Role.APPROVER, Role.ADMIN};
    private static final Role[] WRITERS = {Role.COMPLIANCE, Role.ADMIN};

    private final CustomRuleService rules;

    public CustomRuleController(CustomRuleService rules) {
        this.rules = rules;
    }

    public void routes(JavalinConfig config) {
        config.routes.post("/api/validation/rules", this::create, WRITERS);
        config.routes.get("/api/validation/rules/{id}", this::get, READERS);
        config.routes.put("/api/validation/rules/{id}", this::update, WRITERS);
        config.routes.delete("/api/validation/rules/{id}", this::delete, WRITERS);
    }

    private void create(Context ctx) {
        CustomRuleView created = rules.create(Caller.of(ctx), JsonBody.tree(ctx));
        ctx.status(201).header("Location", "/api/validation/rules/" + created.id()).header("ETag", created.etag())
                .json(created);
    }

    private void get(Context ctx) {
        CustomRuleView rule = rules.get(Caller.of(ctx).organizationId(), Ids.pathId(ctx, "id"));
        ctx.header("ETag", rule.etag()).json(rule);
    }

    private void update(Context ctx) {
        UUID id = Ids.pathId(ctx, "id");
        JsonNode body = JsonBody.tree(ctx);
        CustomRuleView updated = rules.update(Caller.of(ctx), id, body, expectedVersion(ctx.header("If-Match"),
                body.get("version")));
        ctx.header("ETag", updated.etag()).json(updated);
    }

    private void delete(Context ctx) {
        rules.delete(Caller.of(ctx), Ids.pathId(ctx, "id"));
        ctx.status(204);
    }

    /** {@code If-Match: "3"} (or W/"3", or 3) wins over a {@code version} in the body; {@code *} or neither means any. */
    static OptionalInt expectedVersion(String ifMatch, JsonNode bodyVersion) {
        if (ifMatch != null && !ifMatch.isBlank()) {
            String tag = ifMatch.trim();
            if (tag.equals("*")) {
                return OptionalInt.empty();
            }
            tag = (tag.startsWith("W/") ? tag.substring(2) : tag).replace("\"", "");
            try {
                return OptionalInt.of(Integer.parseInt(tag));
            } catch (NumberFormatException e) {
                throw new BadRequestException("If-Match", "must be the rule's ETag, such as \"3\"");
            }
        }
        if (bodyVersion != null && !bodyVersion.isNull()) {
            if (!bodyVersion.isIntegralNumber() || !bodyVersion.canConvertToInt()) {
                throw new BadRequestException("version", "must be an integer");
            }
            return OptionalInt.of(bodyVersion.intValue());
        }
        return OptionalInt.empty();
    }
}
