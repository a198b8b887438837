package dev.agentfactory.health;

import dev.agentfactory.db.Database;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /health}: public, 200 when the database answers, 503 when it does not. */
public final class HealthController {
    private final Database database;

    public HealthController(Database database) {
        this.database = database;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/health", this::health);
    }

    private void health(Context ctx) {
        boolean databaseUp = database.isUp();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", databaseUp ? "UP" : "DOWN");
        body.put("database", databaseUp ? "UP" : "DOWN");
        ctx.status(databaseUp ? 200 : 503).json(body);
    }
}
