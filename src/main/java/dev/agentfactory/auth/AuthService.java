package dev.agentfactory.auth;

import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.ForbiddenException;
import dev.agentfactory.web.FieldProblem;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.NotFoundException;
import dev.agentfactory.web.Paging;
import dev.agentfactory.web.UnauthorizedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/** Bearer tokens: who a token belongs to, issuing and revoking them. */
public final class AuthService {
    private static final Pattern PRINCIPAL = Pattern.compile("[A-Za-z0-9._@+-]{1,100}");

    /**
     * Authenticated tokens are remembered briefly so a busy agent does not cost a query per call.
     * A revocation takes effect at once on this server, and within {@link #CACHE_TTL} on others.
     */
    static final Duration CACHE_TTL = Duration.ofSeconds(10);

    private record Cached(TokenDao.Row row, long expiresAt) {
    }

    private final Jdbi jdbi;
    private final AuditLog auditLog;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public AuthService(Jdbi jdbi, AuditLog auditLog) {
        this.jdbi = jdbi;
        this.auditLog = auditLog;
    }

    /** The caller behind an {@code Authorization} header value; 401 when missing, malformed or unknown. */
    public Caller authenticate(String authorization, String requestId) {
        if (authorization == null || authorization.isBlank()) {
            throw new UnauthorizedException("missing Authorization header; send 'Authorization: Bearer <token>'");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() <= 7) {
            throw new UnauthorizedException("the Authorization header must be 'Bearer <token>'");
        }
        String hash = TokenSecrets.hash(authorization.substring(7).trim());
        TokenDao.Row row = cached(hash);
        return new Caller(row.principal(), row.organizationId(), row.organizationName(), roles(row.roles()),
                row.id(), row.agentId(), requestId);
    }

    private TokenDao.Row cached(String hash) {
        long now = System.nanoTime();
        Cached hit = cache.get(hash);
        if (hit != null && hit.expiresAt() - now > 0) {
            return hit.row();
        }
        TokenDao.Row row = jdbi.withExtension(TokenDao.class, dao -> dao.findActiveByHash(hash))
                .orElseThrow(() -> new UnauthorizedException("unknown or revoked token"));
        if (cache.size() > 10_000) {
            cache.clear();
        }
        cache.put(hash, new Cached(row, now + CACHE_TTL.toNanos()));
        return row;
    }

    public IssuedToken issue(Caller caller, NewToken request) {
        List<FieldProblem> problems = new ArrayList<>();
        if (request.principal() == null || !PRINCIPAL.matcher(request.principal()).matches()) {
            problems.add(new FieldProblem("principal",
                    "required: 1-100 characters of letters, digits and . _ @ + -"));
        }
        if (request.roles() == null || request.roles().isEmpty()) {
            problems.add(new FieldProblem("roles", "at least one role is required; allowed values: "
                    + Arrays.toString(Role.values())));
        } else if (request.roles().contains(null)) {
            problems.add(new FieldProblem("roles", "must not contain null"));
        }
        if (request.agentId() != null && (request.roles() == null || !request.roles().equals(List.of(Role.AGENT)))) {
            problems.add(new FieldProblem("agentId", "only a token with exactly the role AGENT is bound to an agent"));
        }
        if (!problems.isEmpty()) {
            throw new BadRequestException("invalid token request", problems);
        }
        UUID organizationId = request.organizationId() == null ? caller.organizationId() : request.organizationId();
        if (!caller.isAdmin()) {
            requireOwnAgent(caller, request, organizationId);
        }
        List<Role> roles = List.copyOf(new LinkedHashSet<>(request.roles()));
        String secret = TokenSecrets.generate();
        return jdbi.inTransaction(handle -> {
            if (handle.attach(OrganizationDao.class).find(organizationId).isEmpty()) {
                throw new BadRequestException("organizationId", "no such organization");
            }
            if (request.agentId() != null && !handle.attach(TokenDao.class).agentExists(request.agentId(), organizationId)) {
                throw new BadRequestException("agentId", "no such agent in organization " + organizationId);
            }
            TokenDao.Inserted inserted = handle.attach(TokenDao.class).insert(organizationId, request.principal(),
                    names(roles), request.agentId(), TokenSecrets.hash(secret), false, caller.principal());
            IssuedToken issued = new IssuedToken(inserted.id(), secret, request.principal(), organizationId, roles,
                    request.agentId(), inserted.createdAt());
            auditLog.append(handle, AuditEvent.by(caller, "token.created", "token", inserted.id(), null,
                    Json.tree(withoutSecret(issued))).inOrganization(organizationId));
            return issued;
        });
    }

    /** A PM may mint only AGENT tokens, only for an agent of its organization that it deployed. */
    private void requireOwnAgent(Caller caller, NewToken request, UUID organizationId) {
        boolean agentToken = request.agentId() != null && request.roles().equals(List.of(Role.AGENT));
        String deployedBy = !agentToken || !organizationId.equals(caller.organizationId()) ? null
                : jdbi.withExtension(TokenDao.class, dao -> dao.deployedBy(request.agentId(), organizationId))
                        .orElse(null);
        if (!caller.principal().equals(deployedBy)) {
            throw new ForbiddenException("a PM may only mint AGENT tokens (roles [\"AGENT\"] with an agentId) for an "
                    + "agent of its organization that it deployed");
        }
    }

    public Paging.Page<TokenInfo> list(UUID organizationId, Paging paging) {
        return jdbi.withExtension(TokenDao.class, dao -> paging.of(
                dao.list(organizationId, paging.limit(), paging.offset()).stream().map(AuthService::info).toList(),
                dao.count(organizationId)));
    }

    /** Revokes a token; revoking one that is already revoked changes nothing. */
    public void revoke(Caller caller, UUID tokenId) {
        jdbi.useTransaction(handle -> {
            TokenDao dao = handle.attach(TokenDao.class);
            TokenDao.Row row = dao.find(tokenId).orElseThrow(() -> new NotFoundException("token " + tokenId));
            if (dao.revoke(tokenId, caller.principal()) == 1) {
                TokenInfo after = dao.find(tokenId).map(AuthService::info).orElseThrow();
                auditLog.append(handle, AuditEvent.by(caller, "token.revoked", "token", tokenId,
                        Json.tree(info(row)), Json.tree(after)).inOrganization(row.organizationId()));
            }
        });
        // after the commit, so a request in between cannot put the revoked token back
        cache.values().removeIf(cached -> cached.row().id().equals(tokenId));
    }

    static TokenInfo info(TokenDao.Row row) {
        return new TokenInfo(row.id(), row.principal(), row.organizationId(), List.copyOf(roles(row.roles())),
                row.agentId(), row.createdAt(), row.createdBy(), row.revokedAt(), row.revokedBy());
    }

    private static TokenInfo withoutSecret(IssuedToken t) {
        return new TokenInfo(t.id(), t.principal(), t.organizationId(), t.roles(), t.agentId(), t.createdAt(),
                null, null, null);
    }

    static String[] names(List<Role> roles) {
        return roles.stream().map(Role::name).toArray(String[]::new);
    }

    private static Set<Role> roles(String[] names) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : names) {
            roles.add(Role.valueOf(name));
        }
        return roles;
    }
}
