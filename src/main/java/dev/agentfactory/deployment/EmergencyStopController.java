package dev.agentfactory.deployment;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.web.JsonBody;
import io.javalin.config.JavalinConfig;

/**
 * The emergency brake. Pulling it is open to whoever may pause an agent (PM, ADMIN): pausing
 * harms nothing but availability, and whoever sees an agent misbehave should not wait for someone
 * else. Lifting it at once is for an ADMIN: a PM resumes agents one by one.
 */
public final class EmergencyStopController {
    private final EmergencyStop emergencyStop;

    public EmergencyStopController(EmergencyStop emergencyStop) {
        this.emergencyStop = emergencyStop;
    }

    public void routes(JavalinConfig config) {
        config.routes.post("/api/agents/emergency-stop", ctx -> ctx.json(emergencyStop.stop(Caller.of(ctx),
                JsonBody.read(ctx, EmergencyStop.Request.class), false)), Role.PM, Role.ADMIN);
        config.routes.post("/api/agents/resume-all", ctx -> ctx.json(emergencyStop.resumeAll(Caller.of(ctx),
                JsonBody.read(ctx, EmergencyStop.Request.class), false)), Role.ADMIN);
        config.routes.post("/api/system/emergency-stop", ctx -> ctx.json(emergencyStop.stop(Caller.of(ctx),
                JsonBody.read(ctx, EmergencyStop.Request.class), true)), Role.ADMIN);
        config.routes.post("/api/system/resume-all", ctx -> ctx.json(emergencyStop.resumeAll(Caller.of(ctx),
                JsonBody.read(ctx, EmergencyStop.Request.class), true)), Role.ADMIN);
    }
}
