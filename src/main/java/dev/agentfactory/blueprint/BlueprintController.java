package dev.agentfactory.blueprint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.Ids;
import dev.agentfactory.web.JsonBody;
import dev.agentfactory.web.Paging;
import dev.agentfactory.web.QueryParams;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;

/** {@code /api/agents}: blueprint CRUD and history. */
public final class BlueprintController {
    private static final Role[] READERS = {Role.PM, Role.COMPLIANCE, Role.APPROVER, Role.ADMIN};
    private static final Role[] WRITERS = {Role.PM, Role.ADMIN};

    private final BlueprintService blueprints;

    public BlueprintController(BlueprintService blueprints) {
        this.blueprints = blueprints;
    }

    public void routes(JavalinConfig config) {
        config.routes.post("/api/agents", this::create, WRITERS);
        config.routes.get("/api/agents", this::list, READERS);
        config.routes.get("/api/agents/{id}", this::get, READERS);
        config.routes.put("/api/agents/{id}", this::update, WRITERS);
        config.routes.patch("/api/agents/{id}", this::patch, WRITERS);
        config.routes.delete("/api/agents/{id}", this::delete, WRITERS);
        config.routes.get("/api/agents/{id}/versions", this::versions, READERS);
        config.routes.get("/api/agents/{id}/versions/{version}", this::version, READERS);
    }

    private void create(Context ctx) {
        Blueprint created = blueprints.create(Caller.of(ctx), JsonBody.read(ctx, BlueprintSpec.class));
        ctx.status(201).header("Location", "/api/agents/" + created.id()).header("ETag", created.etag()).json(created);
    }

    private void list(Context ctx) {
        BlueprintFilter filter = new BlueprintFilter(
                QueryParams.enumValue(ctx, "status", BlueprintStatus.class).orElse(null),
                QueryParams.text(ctx, "createdBy").orElse(null),
                QueryParams.enumValue(ctx, "industryProfile", IndustryProfile.class).orElse(null));
        ctx.json(blueprints.list(Caller.of(ctx).organizationId(), filter, Paging.from(ctx)));
    }

    private void get(Context ctx) {
        Blueprint blueprint = blueprints.get(Caller.of(ctx).organizationId(), Ids.pathId(ctx, "id"));
        ctx.header("ETag", blueprint.etag()).json(blueprint);
    }

    private void update(Context ctx) {
        UUID id = Ids.pathId(ctx, "id");
        JsonNode body = JsonBody.tree(ctx);
        OptionalInt expected = expectedVersion(ctx.header("If-Match"), body.get("version"));
        Blueprint updated = blueprints.update(Caller.of(ctx), id, JsonBody.convert(body, BlueprintSpec.class), expected);
        ctx.header("ETag", updated.etag()).json(updated);
    }

    /** JSON Merge Patch (RFC 7396), sent as application/merge-patch+json or application/json. */
    private void patch(Context ctx) {
        UUID id = Ids.pathId(ctx, "id");
        JsonNode patch = JsonBody.tree(ctx);
        OptionalInt expected = expectedVersion(ctx.header("If-Match"), patch.get("version"));
        Blueprint updated = blueprints.patch(Caller.of(ctx), id, patch, expected);
        ctx.header("ETag", updated.etag()).json(updated);
    }

    private void delete(Context ctx) {
        blueprints.deprecate(Caller.of(ctx), Ids.pathId(ctx, "id"));
        ctx.status(204);
    }

    private void versions(Context ctx) {
        ctx.json(Map.of("items", blueprints.versions(Caller.of(ctx).organizationId(), Ids.pathId(ctx, "id"))));
    }

    private void version(Context ctx) {
        int version;
        try {
            version = Integer.parseInt(ctx.pathParam("version"));
        } catch (NumberFormatException e) {
            throw new BadRequestException("version", "must be a positive integer");
        }
        ctx.json(blueprints.version(Caller.of(ctx).organizationId(), Ids.pathId(ctx, "id"), version));
    }

    /** {@code If-Match: "3"} (or W/"3", or 3) wins over a {@code version} in the body; {@code *} means any. */
    static OptionalInt expectedVersion(String ifMatch, JsonNode bodyVersion) {
        if (ifMatch != null && !ifMatch.isBlank()) {
            String tag = ifMatch.trim();
            if (tag.equals("*")) {
                return OptionalInt.empty();
            }
            tag = tag.startsWith("W/") ? tag.substring(2) : tag;
            tag = tag.replace("\"", "");
            try {
                return OptionalInt.of(Integer.parseInt(tag));
            } catch (NumberFormatException e) {
                throw new BadRequestException("If-Match", "must be the blueprint's ETag, such as \"3\"");
            }
        }
        if (bodyVersion != null && !bodyVersion.isNull()) {
            if (!bodyVersion.canConvertToExactIntegral() || !bodyVersion.isIntegralNumber()) {
                throw new BadRequestException("version", "must be an integer");
            }
            return OptionalInt.of(bodyVersion.intValue());
        }
        return OptionalInt.empty();
    }
}
