package dev.agentfactory.cluster;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import io.javalin.config.JavalinConfig;

/** {@code GET /api/cluster}: the instances sharing the database and whether they agree. */
public final class ClusterController {
    private final ClusterService cluster;

    public ClusterController(ClusterService cluster) {
        this.cluster = cluster;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/api/cluster", ctx -> ctx.json(cluster.view(Caller.of(ctx))), Role.ADMIN);
    }
}
