package dev.agentfactory.rules;

import dev.agentfactory.auth.Caller;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.agentfactory.auth.Role;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/** The rule set's status and a forced reload. */
public final class RulesController {
    private final RuleEngine engine;
    private final AgentTemplates templates;

    public RulesController(RuleEngine engine, AgentTemplates templates) {
        this.engine = engine;
        this.templates = templates;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/api/rules/status", this::status, Role.PM, Role.COMPLIANCE, Role.APPROVER, Role.ADMIN);
        config.routes.post("/api/rules/reload", this::reload, Role.COMPLIANCE, Role.ADMIN);
    }

    /** The shared rules' status, plus the agent templates' ({@code templates}: version and last refusal). */
    private void status(Context ctx) {
        RuleStatus status = engine.status();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", status.version());
        body.put("loadedAt", status.loadedAt());
        body.put("ruleCount", status.ruleCount());
        body.put("files", status.files());
        body.put("lastRefusal", status.lastRefusal());
        Map<String, Object> templateStatus = new LinkedHashMap<>();
        templateStatus.put("version", templates.loaded().map(TemplateSet::version).orElse(null));
        templateStatus.put("lastRefusal", templates.lastRefusal());
        body.put("templates", templateStatus);
        ctx.json(body);
    }

    private void reload(Context ctx) {
        // The reload's audit entry is system-wide, seen by every organization: it must not name this caller.
        RuleEngine.ReloadResult result = engine.reload("forced over the API");
        templates.reload();
        ctx.json(result);
    }
}
