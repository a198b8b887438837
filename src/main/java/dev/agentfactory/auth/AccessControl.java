package dev.agentfactory.auth;

import dev.agentfactory.web.ForbiddenException;
import dev.agentfactory.web.RequestIds;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs before every matched route. A route that declares roles needs a caller (401) holding one of
 * them (403); a route without roles is public ({@code /health}, signing in). The caller is the
 * bearer token's when an {@code Authorization} header is sent, otherwise the console session's
 * cookie, whose writes must carry the session's CSRF token.
 */
public final class AccessControl {
    public static final String SESSION_COOKIE = "af_session";
    public static final String CSRF_COOKIE = "af_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private final AuthService authService;
    private final ConsoleSessions sessions;

    public AccessControl(AuthService authService, ConsoleSessions sessions) {
        this.authService = authService;
        this.sessions = sessions;
    }

    public void check(Context ctx) {
        Set<RouteRole> allowed = ctx.routeRoles();
        if (allowed.isEmpty()) {
            return;
        }
        Caller caller = authenticate(ctx);
        if (caller.roles().stream().noneMatch(allowed::contains)) {
            throw new ForbiddenException("this needs one of the roles "
                    + allowed.stream().map(Object::toString).sorted().collect(Collectors.joining(", "))
                    + "; the token has " + caller.roles().stream().map(Enum::name).sorted()
                    .collect(Collectors.joining(", ")));
        }
        caller.attachTo(ctx);
    }

    private Caller authenticate(Context ctx) {
        String authorization = ctx.header("Authorization");
        String session = ctx.cookie(SESSION_COOKIE);
        if ((authorization == null || authorization.isBlank()) && session != null && !session.isBlank()) {
            return sessions.authenticate(session, ctx.header(CSRF_HEADER), isWrite(ctx.method()), RequestIds.of(ctx));
        }
        return authService.authenticate(authorization, RequestIds.of(ctx));
    }

    /** Everything but reading changes something, and needs the CSRF token when a cookie authenticates it. */
    private static boolean isWrite(HandlerType method) {
        return method != HandlerType.GET && method != HandlerType.HEAD && method != HandlerType.OPTIONS;
    }
}
