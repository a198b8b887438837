package dev.agentfactory.rules;

import dev.agentfactory.auth.Role;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/** The policy this server serves, and a forced re-read of its watched folder. */
public final class RulesController {
    private final PolicyEngine engine;
    private final BundlePublisher publisher;

    public RulesController(PolicyEngine engine, BundlePublisher publisher) {
        this.engine = engine;
        this.publisher = publisher;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/api/rules/status", this::status, Role.PM, Role.COMPLIANCE, Role.APPROVER, Role.ADMIN);
        config.routes.post("/api/rules/reload", this::reload, Role.COMPLIANCE, Role.ADMIN);
    }

    private void status(Context ctx) {
        ctx.json(engine.status());
    }

    /** Publishes the watched folder if it changed; the audit entries are system-wide and name no caller. */
    private void reload(Context ctx) {
        ctx.json(publisher.publishFolder("forced over the API"));
    }
}
