package dev.agentfactory.rules;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.web.JsonBody;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/** The rule set's status, a forced reload, and custom rules. */
public final class RulesController {
    private final RuleEngine engine;
    private final CustomRuleService customRules;

    public RulesController(RuleEngine engine, CustomRuleService customRules) {
        this.engine = engine;
        this.customRules = customRules;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/api/rules/status", ctx -> ctx.json(engine.status()),
                Role.PM, Role.COMPLIANCE, Role.APPROVER, Role.ADMIN);
        config.routes.post("/api/rules/reload", this::reload, Role.COMPLIANCE, Role.ADMIN);
        config.routes.post("/api/validation/rules", this::addCustomRule, Role.COMPLIANCE, Role.ADMIN);
    }

    private void reload(Context ctx) {
        RuleEngine.ReloadResult result = engine.reload("forced by " + Caller.of(ctx).principal());
        ctx.json(result);
    }

    private void addCustomRule(Context ctx) {
        CustomRuleService.AddedRule added = customRules.add(Caller.of(ctx),
                JsonBody.read(ctx, CustomRuleService.NewRule.class));
        ctx.status(201).json(added);
    }
}
