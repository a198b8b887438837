package dev.agentfactory.health;

import dev.agentfactory.cluster.Instances;
import dev.agentfactory.db.Database;
import dev.agentfactory.deployment.AgentRegistry;
import dev.agentfactory.rules.AgentTemplates;
import dev.agentfactory.deployment.AgentLoader;
import dev.agentfactory.rules.RuleEngine;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Public health endpoints. Live: the process answers. Ready: the database answers, a rule set and
 * the agent templates are loaded, and the agents were compiled at start-up. {@code /health} shows
 * both and answers 503 when the server is not ready.
 */
public final class HealthController {
    private final Database database;
    private final AgentRegistry registry;
    private final RuleEngine rules;
    private final AgentTemplates templates;
    private final AgentLoader.LoadReport startup;
    private final Instances instance;

    public HealthController(Database database, AgentRegistry registry, RuleEngine rules, AgentTemplates templates,
                            AgentLoader.LoadReport startup, Instances instance) {
        this.database = database;
        this.registry = registry;
        this.rules = rules;
        this.templates = templates;
        this.startup = startup;
        this.instance = instance;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/health", this::health);
        config.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
        config.routes.get("/health/ready", this::health);
    }

    private void health(Context ctx) {
        boolean databaseUp = database.isUp();
        boolean rulesLoaded = rules.loaded().isPresent();
        boolean templatesLoaded = templates.loaded().isPresent();
        boolean ready = databaseUp && rulesLoaded && templatesLoaded;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "UP" : "DOWN");
        body.put("live", true);
        body.put("ready", ready);
        body.put("database", databaseUp ? "UP" : "DOWN");
        body.put("rules", rules.loaded().map(set -> "LOADED " + set.version()).orElse("NOT LOADED"));
        body.put("templates", templates.loaded().map(set -> "LOADED " + set.version()).orElse("NOT LOADED"));
        body.put("agents", Map.of("loaded", registry.size(), "failedAtStartup", startup.failures().size(),
                "compiledInMs", startup.millis()));
        // which instance answered (GET /api/cluster lists them all), and how far it applied the changes
        body.put("instance", Map.of("id", instance.id(), "startedAt", instance.startedAt(),
                "appliedChange", instance.appliedChange()));
        ctx.status(ready ? 200 : 503).json(body);
    }
}
