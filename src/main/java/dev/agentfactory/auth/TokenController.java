package dev.agentfactory.auth;

import dev.agentfactory.web.Ids;
import dev.agentfactory.web.JsonBody;
import dev.agentfactory.web.Paging;
import dev.agentfactory.web.QueryParams;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/tokens} (ADMIN of the organization, the system administrator anywhere; a PM may mint
 * AGENT tokens for the agents it deployed) and {@code /api/me} (anyone with a token).
 */
public final class TokenController {
    private final AuthService authService;

    public TokenController(AuthService authService) {
        this.authService = authService;
    }

    public void routes(JavalinConfig config) {
        config.routes.post("/api/tokens", this::issue, Role.ADMIN, Role.PM);
        config.routes.get("/api/tokens", this::list, Role.ADMIN);
        config.routes.delete("/api/tokens/{id}", this::revoke, Role.ADMIN);
        config.routes.get("/api/me", this::me, Role.ANY);
    }

    private void issue(Context ctx) {
        IssuedToken issued = authService.issue(Caller.of(ctx), JsonBody.read(ctx, NewToken.class));
        ctx.status(201).json(issued);
    }

    private void list(Context ctx) {
        ctx.json(authService.list(Caller.of(ctx), QueryParams.uuid(ctx, "organizationId").orElse(null),
                Paging.from(ctx)));
    }

    private void revoke(Context ctx) {
        authService.revoke(Caller.of(ctx), Ids.pathId(ctx, "id"));
        ctx.status(204);
    }

    private void me(Context ctx) {
        Caller caller = Caller.of(ctx);
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("principal", caller.principal());
        me.put("organizationId", caller.organizationId());
        me.put("organizationName", caller.organizationName());
        me.put("roles", caller.roles().stream().map(Enum::name).sorted().toList());
        me.put("tokenId", caller.tokenId());
        me.put("agentId", caller.agentId());
        me.put("systemAdmin", caller.systemAdmin());
        ctx.json(me);
    }
}
