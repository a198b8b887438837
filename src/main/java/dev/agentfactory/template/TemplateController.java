package dev.agentfactory.template;

import dev.agentfactory.auth.Role;
import io.javalin.config.JavalinConfig;

/** {@code /api/templates}: the agent patterns a person starts a blueprint from. */
public final class TemplateController {
    private static final Role[] PEOPLE = {Role.PM, Role.COMPLIANCE, Role.APPROVER, Role.ADMIN};

    private final TemplateLibrary library;

    public TemplateController(TemplateLibrary library) {
        this.library = library;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/api/templates", ctx -> ctx.json(library.list()), PEOPLE);
        config.routes.get("/api/templates/{id}", ctx -> ctx.json(library.get(ctx.pathParam("id"))), PEOPLE);
    }
}
