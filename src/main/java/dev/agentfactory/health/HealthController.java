package dev.agentfactory.health;

import dev.agentfactory.cluster.Instances;
import dev.agentfactory.db.Database;
import dev.agentfactory.deployment.AgentRegistry;
import dev.agentfactory.deployment.AgentLoader;
import dev.agentfactory.rules.PolicyEngine;
import dev.agentfactory.rules.PolicyStatus;
import dev.agentfactory.warmup.Rehearsal;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Public health endpoints. Live: the process answers. Ready: the database answers, a policy bundle
 * (rule set and agent templates) is loaded, and the agents were compiled at start-up. {@code /health}
 * shows both and answers 503 when the server is not ready; {@code bundle} says whether this server
 * serves the bundle the database says is active; {@code status} is DEGRADED (still ready) while a refused
 * rule set is unresolved, and {@code refused} says which. While the server rehearses decisions after its
 * start ({@code warmUp}), it answers every request but is not ready yet.
 */
public final class HealthController {
    private final Database database;
    private final AgentRegistry registry;
    private final PolicyEngine policy;
    private final AgentLoader.LoadReport startup;
    private final Instances instance;
    private final Rehearsal rehearsal;

    public HealthController(Database database, AgentRegistry registry, PolicyEngine policy,
                            AgentLoader.LoadReport startup, Instances instance, Rehearsal rehearsal) {
        this.rehearsal = rehearsal;
        this.database = database;
        this.registry = registry;
        this.policy = policy;
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
        PolicyStatus rules = policy.status();
        boolean serving = databaseUp && rules.version() != null;
        boolean ready = serving && rehearsal.over();
        Map<String, Object> body = new LinkedHashMap<>();
        // A refused rule set that is still on disk (or not yet replaced) degrades the server but it stays
        // ready: it serves the last bundle that passed its tests.
        body.put("status", !serving ? "DOWN" : !ready ? "WARMING_UP" : rules.degraded() ? "DEGRADED" : "UP");
        body.put("live", true);
        body.put("ready", ready);
        body.put("database", databaseUp ? "UP" : "DOWN");
        body.put("rules", rules.version() == null ? "NOT LOADED" : "LOADED " + rules.version());
        body.put("templates", rules.version() == null ? "NOT LOADED" : "LOADED " + rules.templates().version());
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("serving", rules.version());
        bundle.put("active", rules.activeVersion());
        bundle.put("inSync", rules.inSync());
        body.put("bundle", bundle);
        if (rules.degraded()) {
            body.put("refused", Map.of("version", rules.lastRefusal().version(), "at", rules.lastRefusal().at(),
                    "reason", rules.lastRefusal().reason(), "note", rules.lastRefusalState().note()));
        }
        body.put("warmUp", rehearsal.report());
        body.put("agents", Map.of("loaded", registry.size(), "failedAtStartup", startup.failures().size(),
                "compiledInMs", startup.millis()));
        // which instance answered (GET /api/cluster lists them all), and how far it applied the changes
        body.put("instance", Map.of("id", instance.id(), "startedAt", instance.startedAt(),
                "appliedChange", instance.appliedChange()));
        ctx.status(ready ? 200 : 503).json(body);
    }
}
