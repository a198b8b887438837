package dev.agentfactory.health;

import dev.agentfactory.db.Database;
import dev.agentfactory.deployment.AgentRegistry;
import dev.agentfactory.deployment.DeploymentService;
import dev.agentfactory.rules.RuleEngine;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /health}: public. 200 when the database answers, 503 when it does not; it also says
 * whether a rule set is loaded and how many agents are live.
 */
public final class HealthController {
    private final Database database;
    private final AgentRegistry registry;
    private final RuleEngine rules;
    private final DeploymentService.LoadReport startup;

    public HealthController(Database database, AgentRegistry registry, RuleEngine rules,
                            DeploymentService.LoadReport startup) {
        this.database = database;
        this.registry = registry;
        this.rules = rules;
        this.startup = startup;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/health", this::health);
    }

    private void health(Context ctx) {
        boolean databaseUp = database.isUp();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", databaseUp ? "UP" : "DOWN");
        body.put("database", databaseUp ? "UP" : "DOWN");
        body.put("rules", rules.loaded().map(set -> "LOADED " + set.version()).orElse("NOT LOADED"));
        body.put("agents", Map.of("loaded", registry.size(), "failedAtStartup", startup.failures().size()));
        ctx.status(databaseUp ? 200 : 503).json(body);
    }
}
