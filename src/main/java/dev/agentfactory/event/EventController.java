package dev.agentfactory.event;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.web.JsonBody;
import io.javalin.config.JavalinConfig;

/** {@code POST /api/events}: an event in, the agents it activated out. */
public final class EventController {
    private final EventService events;

    public EventController(EventService events) {
        this.events = events;
    }

    public void routes(JavalinConfig config) {
        config.routes.post("/api/events",
                ctx -> ctx.json(events.publish(Caller.of(ctx), JsonBody.read(ctx, Event.class))),
                Role.PM, Role.AGENT, Role.ADMIN);
    }
}
