package dev.agentfactory.auth;

import dev.agentfactory.web.ForbiddenException;
import dev.agentfactory.web.RequestIds;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs before every matched route. A route that declares roles needs a valid bearer token (401)
 * holding one of them (403); a route without roles is public ({@code /health} only).
 */
public final class AccessControl {
    private final AuthService authService;

    public AccessControl(AuthService authService) {
        this.authService = authService;
    }

    public void check(Context ctx) {
        Set<RouteRole> allowed = ctx.routeRoles();
        if (allowed.isEmpty()) {
            return;
        }
        Caller caller = authService.authenticate(ctx.header("Authorization"), RequestIds.of(ctx));
        if (caller.roles().stream().noneMatch(allowed::contains)) {
            throw new ForbiddenException("this needs one of the roles "
                    + allowed.stream().map(Object::toString).sorted().collect(Collectors.joining(", "))
                    + "; the token has " + caller.roles().stream().map(Enum::name).sorted()
                    .collect(Collectors.joining(", ")));
        }
        caller.attachTo(ctx);
    }
}
