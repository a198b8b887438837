package dev.agentfactory.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.customrule.CustomRuleService;
import dev.agentfactory.customrule.CustomRuleView;
import dev.agentfactory.rules.PolicyEngine;
import dev.agentfactory.rules.RuleInfo;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.Ids;
import dev.agentfactory.web.JsonBody;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;

/** {@code /api/validation/agent} (stored or dry run) and the rule listing. */
public final class ValidationController {
    private final ValidationService validations;
    private final PolicyEngine rules;
    private final CustomRuleService customRules;

    public ValidationController(ValidationService validations, PolicyEngine rules, CustomRuleService customRules) {
        this.validations = validations;
        this.rules = rules;
        this.customRules = customRules;
    }

    /** The shared rules every organization runs, and the caller's organization's own custom rules. */
    record RuleListing(String ruleSetVersion, List<RuleInfo> rules, List<CustomRuleView> customRules) {
    }

    public void routes(JavalinConfig config) {
        config.routes.post("/api/validation/agent", this::validate, Role.PM, Role.COMPLIANCE, Role.ADMIN);
        config.routes.get("/api/validation/rules", this::listRules, Role.PM, Role.COMPLIANCE, Role.APPROVER, Role.ADMIN);
    }

    /** {@code {"blueprintId": "..."}} validates a stored blueprint; any other body is a blueprint to dry-run. */
    private void validate(Context ctx) {
        JsonNode body = JsonBody.tree(ctx);
        Caller caller = Caller.of(ctx);
        if (body.has("blueprintId")) {
            if (body.size() != 1) {
                throw new BadRequestException("blueprintId",
                        "send either {\"blueprintId\": \"...\"} alone, or a whole blueprint to dry-run");
            }
            JsonNode id = body.get("blueprintId");
            ctx.json(validations.validateStored(caller, Ids.parse("blueprintId", id.isTextual() ? id.asText() : null)));
        } else {
            ctx.json(validations.dryRun(caller, JsonBody.convert(body, BlueprintSpec.class)));
        }
    }

    private void listRules(Context ctx) {
        var ruleSet = rules.current();
        ctx.json(new RuleListing(ruleSet.version(), ruleSet.rules(),
                customRules.list(Caller.of(ctx).organizationId())));
    }
}
