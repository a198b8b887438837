package dev.agentfactory.auth;

import dev.agentfactory.web.JsonBody;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;

/** {@code /api/organizations}: the system administrator creates and lists them; an organization's ADMIN sees its own. */
public final class OrganizationController {
    private final OrganizationService organizations;

    public OrganizationController(OrganizationService organizations) {
        this.organizations = organizations;
    }

    public void routes(JavalinConfig config) {
        config.routes.post("/api/organizations", this::create, Role.ADMIN);
        config.routes.get("/api/organizations", this::list, Role.ADMIN);
    }

    private void create(Context ctx) {
        Organization created = organizations.create(Caller.of(ctx),
                JsonBody.read(ctx, OrganizationService.NewOrganization.class));
        ctx.status(201).header("Location", "/api/organizations/" + created.id()).json(created);
    }

    private void list(Context ctx) {
        ctx.json(Map.of("items", organizations.list(Caller.of(ctx))));
    }
}
