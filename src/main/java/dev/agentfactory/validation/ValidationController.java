package dev.agentfactory.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.rules.RuleEngine;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.Ids;
import dev.agentfactory.web.JsonBody;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;

/** {@code /api/validation/agent} (stored or dry run) and the rule listing. */
public final class ValidationController {
    private final ValidationService validations;
    private final RuleEngine rules;

    public ValidationController(ValidationService validations, RuleEngine rules) {
        this.validations = validations;
        this.rules = rules;
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
        ctx.json(Map.of("ruleSetVersion", ruleSet.version(), "rules", ruleSet.rules()));
    }
}
