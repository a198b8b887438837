package dev.agentfactory.auth;

import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.ForbiddenException;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.UnauthorizedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * A person signs in to the console with their token and gets a session instead, carried by an
 * HttpOnly cookie. Sessions live in PostgreSQL (only hashes), so any server sharing the database
 * accepts them; each is bound to its token (revoking the token ends the session), ends after
 * {@link #IDLE} without use or {@link #LIFETIME} after sign-in, and every write made with it must
 * carry its CSRF token.
 */
public final class ConsoleSessions {
    public static final Duration IDLE = Duration.ofMinutes(30);
    public static final Duration LIFETIME = Duration.ofHours(8);
    /** last_seen_at is written at most this often: a page polling every few seconds is not a write each time. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    /** A session just opened: the secrets go to the browser once, in cookies; neither is stored. */
    public record Opened(String sessionId, String csrfToken, Instant expiresAt, Caller caller) {
    }

    private final Jdbi jdbi;
    private final AuthService authService;
    private final AuditLog auditLog;

    public ConsoleSessions(Jdbi jdbi, AuthService authService, AuditLog auditLog) {
        this.jdbi = jdbi;
        this.authService = authService;
        this.auditLog = auditLog;
    }

    /** Opens a session for a person's token; an agent's token (role AGENT) does not sign in to the console. */
    public Opened signIn(String token, String requestId) {
        if (token == null || token.isBlank()) {
            throw new BadRequestException("token", "required: the token an administrator gave you (it starts with af_)");
        }
        Caller caller;
        try {
            caller = authService.authenticate("Bearer " + token.trim(), requestId);
        } catch (UnauthorizedException e) {
            throw new UnauthorizedException("this token is unknown or revoked; ask your administrator for a new one");
        }
        if (caller.has(Role.AGENT)) {
            throw new ForbiddenException("an agent's token cannot sign in to the console; sign in with a person's token"
                    + " (PM, APPROVER, COMPLIANCE or ADMIN)");
        }
        String sessionId = TokenSecrets.generate();
        String csrf = TokenSecrets.generate();
        Instant expiresAt = Instant.now().plus(LIFETIME);
        jdbi.useTransaction(handle -> {
            handle.attach(SessionDao.class).insert(TokenSecrets.hash(sessionId), TokenSecrets.hash(csrf),
                    caller.tokenId(), expiresAt);
            auditLog.append(handle, AuditEvent.by(caller, "session.started", "token", caller.tokenId(), null,
                    Json.tree(Map.of("expiresAt", expiresAt.toString()))));
        });
        return new Opened(sessionId, csrf, expiresAt, caller);
    }

    /**
     * The caller behind a session cookie: 401 when the session is unknown, signed out, expired or
     * its token revoked; 403 when {@code write} and the CSRF token does not match the session's.
     */
    public Caller authenticate(String sessionId, String csrfToken, boolean write, String requestId) {
        String idHash = TokenSecrets.hash(sessionId);
        SessionDao.Live live = jdbi.withExtension(SessionDao.class, dao -> dao.findLive(idHash, IDLE.toSeconds()))
                .orElseThrow(() -> new UnauthorizedException("your console session has ended (signed out, expired or"
                        + " its token revoked); sign in again"));
        if (write && (csrfToken == null || !MessageDigest.isEqual(
                TokenSecrets.hash(csrfToken).getBytes(StandardCharsets.US_ASCII),
                live.csrfHash().getBytes(StandardCharsets.US_ASCII)))) {
            throw new ForbiddenException("a change made with the console session must carry its CSRF token in the "
                    + "X-CSRF-Token header; reload the page and try again");
        }
        if (Duration.between(live.lastSeenAt(), Instant.now()).compareTo(TOUCH_EVERY) > 0) {
            jdbi.useExtension(SessionDao.class, dao -> dao.touch(idHash));
        }
        return authService.caller(live.tokenId(), requestId);
    }

    /** Ends a session; ending one that has ended already changes nothing. */
    public void signOut(Caller caller, String sessionId) {
        jdbi.useTransaction(handle -> {
            if (handle.attach(SessionDao.class).end(TokenSecrets.hash(sessionId)) == 1) {
                auditLog.append(handle, AuditEvent.by(caller, "session.ended", "token", caller.tokenId(), null, null));
            }
        });
    }

    /** Forgets sessions that expired more than a day ago (called periodically). */
    public int forgetExpired() {
        return jdbi.withExtension(SessionDao.class, SessionDao::forgetExpired);
    }
}
