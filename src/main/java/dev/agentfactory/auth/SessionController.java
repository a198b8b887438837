package dev.agentfactory.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.web.ApiException;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.FieldProblem;
import dev.agentfactory.web.JsonBody;
import dev.agentfactory.web.RequestIds;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/session}: the console's sign-in (a token for a session cookie), who is signed in, and
 * sign-out. The session cookie is HttpOnly; the CSRF cookie is readable by the console's script,
 * which echoes it in the {@code X-CSRF-Token} header of every write.
 */
public final class SessionController {
    private final ConsoleSessions sessions;

    public SessionController(ConsoleSessions sessions) {
        this.sessions = sessions;
    }

    public void routes(JavalinConfig config) {
        config.routes.post("/api/session", this::signIn);
        config.routes.get("/api/session", ctx -> ctx.json(describe(Caller.of(ctx), null)), Role.ANY);
        config.routes.delete("/api/session", this::signOut, Role.ANY);
    }

    private void signIn(Context ctx) {
        // A page on another site can post a form (text/plain) but not JSON without the browser asking first:
        // requiring JSON keeps other sites from signing a browser in to an account of theirs.
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "unsupported_media_type", "send the token as JSON: Content-Type: application/json",
                    List.of(new FieldProblem("Content-Type", "must be application/json")));
        }
        JsonNode body = JsonBody.tree(ctx);
        JsonNode token = body.get("token");
        if (token != null && !token.isNull() && !token.isTextual()) {
            throw new BadRequestException("token", "must be a string");
        }
        ConsoleSessions.Opened opened = sessions.signIn(token == null || token.isNull() ? null : token.asText(),
                RequestIds.of(ctx));
        long maxAge = ConsoleSessions.LIFETIME.toSeconds();
        boolean secure = isHttps(ctx);
        ctx.res().addHeader("Set-Cookie", cookie(AccessControl.SESSION_COOKIE, opened.sessionId(), maxAge, true, secure));
        ctx.res().addHeader("Set-Cookie", cookie(AccessControl.CSRF_COOKIE, opened.csrfToken(), maxAge, false, secure));
        ctx.status(201).json(describe(opened.caller(), opened.expiresAt()));
    }

    private void signOut(Context ctx) {
        String session = ctx.cookie(AccessControl.SESSION_COOKIE);
        if (session != null && !session.isBlank()) {
            sessions.signOut(Caller.of(ctx), session);
        }
        boolean secure = isHttps(ctx);
        ctx.res().addHeader("Set-Cookie", cookie(AccessControl.SESSION_COOKIE, "", 0, true, secure));
        ctx.res().addHeader("Set-Cookie", cookie(AccessControl.CSRF_COOKIE, "", 0, false, secure));
        ctx.status(204);
    }

    private static Map<String, Object> describe(Caller caller, Instant expiresAt) {
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("principal", caller.principal());
        me.put("organizationId", caller.organizationId());
        me.put("organizationName", caller.organizationName());
        me.put("roles", caller.roles().stream().map(Enum::name).sorted().toList());
        me.put("systemAdmin", caller.systemAdmin());
        if (expiresAt != null) {
            me.put("expiresAt", expiresAt);
        }
        return me;
    }

    /** Behind a TLS-terminating proxy the scheme arrives in X-Forwarded-Proto. */
    private static boolean isHttps(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    private static String cookie(String name, String value, long maxAgeSeconds, boolean httpOnly, boolean secure) {
        List<String> parts = new ArrayList<>(List.of(name + "=" + value, "Path=/", "Max-Age=" + maxAgeSeconds,
                "SameSite=Strict"));
        if (httpOnly) {
            parts.add("HttpOnly");
        }
        if (secure) {
            parts.add("Secure");
        }
        return String.join("; ", parts);
    }
}
