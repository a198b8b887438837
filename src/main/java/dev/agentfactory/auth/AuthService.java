package dev.agentfactory.auth;

import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.cluster.ChangeFeed;
import dev.agentfactory.cluster.ChangeLog;
import dev.agentfactory.web.ApiException;
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
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Bearer tokens: who a token belongs to, issuing and revoking them. */
public final class AuthService {
    /**
     * Authenticated tokens are remembered briefly so a busy agent does not cost a query per call.
     * A revocation takes effect at once on this server, and on the others when its change reaches
     * them (about a second at worst); the time-to-live bounds it should that ever fail.
     */
    static final Duration CACHE_TTL = Duration.ofSeconds(10);

    /** A token was revoked: the subject is its id. */
    static final String REVOKED = "token.revoked";

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
                row.id(), row.agentId(), requestId, row.bootstrap());
    }

    /** The caller behind a token known to be active (a console session's): 401 if it was revoked meanwhile. */
    Caller caller(UUID tokenId, String requestId) {
        TokenDao.Row row = jdbi.withExtension(TokenDao.class, dao -> dao.find(tokenId))
                .filter(found -> found.revokedAt() == null)
                .orElseThrow(() -> new UnauthorizedException("the token behind this session was revoked; sign in again"));
        return new Caller(row.principal(), row.organizationId(), row.organizationName(), roles(row.roles()),
                row.id(), row.agentId(), requestId, row.bootstrap());
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

    /**
     * Mints a token. The system administrator mints in any organization; an organization's ADMIN
     * in its own; a PM only AGENT tokens for an agent of its organization that it deployed.
     */
    public IssuedToken issue(Caller caller, NewToken request) {
        UUID organizationId = request.organizationId() == null ? caller.organizationId() : request.organizationId();
        requireManages(caller, organizationId);
        List<Role> roles = checked(request);
        boolean agent = roles.contains(Role.AGENT);
        String principal = agent ? Principals.agent(request.principal(), request.agentId()) : request.principal();
        if (!caller.isAdmin()) {
            requireOwnAgent(caller, agent, request.agentId());
        }
        String secret = TokenSecrets.generate();
        return jdbi.inTransaction(handle -> {
            if (handle.attach(OrganizationDao.class).find(organizationId).isEmpty()) {
                throw new BadRequestException("organizationId", "no such organization");
            }
            if (agent && !handle.attach(TokenDao.class).agentExists(request.agentId(), organizationId)) {
                throw new BadRequestException("agentId", "no such agent in organization " + organizationId);
            }
            TokenDao.Inserted inserted = handle.attach(TokenDao.class).insert(organizationId, principal,
                    names(roles), request.agentId(), TokenSecrets.hash(secret), false, caller.principal());
            IssuedToken issued = new IssuedToken(inserted.id(), secret, principal, organizationId, roles,
                    request.agentId(), inserted.createdAt());
            auditLog.append(handle, AuditEvent.by(caller, "token.created", "token", inserted.id(), null,
                    Json.tree(withoutSecret(issued))).inOrganization(organizationId));
            return issued;
        });
    }

    /** The roles asked for, once the request is known to be well-formed: 400 naming each field that is not. */
    private static List<Role> checked(NewToken request) {
        List<FieldProblem> problems = new ArrayList<>();
        List<Role> roles = request.roles() == null || request.roles().contains(null) ? List.of()
                : List.copyOf(new LinkedHashSet<>(request.roles()));
        if (request.roles() == null || request.roles().isEmpty()) {
            problems.add(new FieldProblem("roles", "at least one role is required; allowed values: "
                    + Arrays.toString(Role.values())));
        } else if (request.roles().contains(null)) {
            problems.add(new FieldProblem("roles", "must not contain null"));
        }
        if (roles.contains(Role.AGENT)) {
            if (roles.size() > 1) {
                problems.add(new FieldProblem("roles", "AGENT cannot be combined with other roles: an agent's token"
                        + " has exactly the role AGENT, a person's never has it"));
            }
            if (request.agentId() == null) {
                problems.add(new FieldProblem("agentId", "required for an AGENT token: the agent it acts for"));
            }
            Principals.agentProblem(request.principal()).ifPresent(p -> problems.add(new FieldProblem("principal", p)));
        } else {
            Principals.personProblem(request.principal()).ifPresent(p -> problems.add(new FieldProblem("principal", p)));
            if (request.agentId() != null) {
                problems.add(new FieldProblem("agentId", "only a token with exactly the role AGENT is bound to an agent"));
            }
        }
        if (!problems.isEmpty()) {
            throw new BadRequestException("invalid token request: " + problems.get(0).field() + " "
                    + problems.get(0).problem(), problems);
        }
        return roles;
    }

    /** Only the system administrator reaches into another organization's tokens. */
    private static void requireManages(Caller caller, UUID organizationId) {
        if (!caller.systemAdmin() && !organizationId.equals(caller.organizationId())) {
            throw new ApiException(403, "forbidden", "organization " + organizationId + " is not yours: an"
                    + " organization's tokens are managed by its own ADMIN or by the system administrator",
                    List.of(new FieldProblem("organizationId", "must be your organization, " + caller.organizationId())));
        }
    }

    /** A PM may mint only AGENT tokens, only for an agent of its organization that it deployed. */
    private void requireOwnAgent(Caller caller, boolean agent, UUID agentId) {
        String deployedBy = !agent ? null
                : jdbi.withExtension(TokenDao.class, dao -> dao.deployedBy(agentId, caller.organizationId()))
                        .orElse(null);
        if (!caller.principal().equals(deployedBy)) {
            throw new ForbiddenException("a PM may only mint AGENT tokens (roles [\"AGENT\"] with an agentId) for an "
                    + "agent of its organization that it deployed");
        }
    }

    /**
     * Tokens of one organization, or of every organization when {@code organizationId} is null:
     * that, and any organization but its own, only for the system administrator.
     */
    public Paging.Page<TokenInfo> list(Caller caller, UUID organizationId, Paging paging) {
        UUID scope = organizationId == null && !caller.systemAdmin() ? caller.organizationId() : organizationId;
        if (scope != null) {
            requireManages(caller, scope);
        }
        return jdbi.withExtension(TokenDao.class, dao -> paging.of(
                dao.list(scope, paging.limit(), paging.offset()).stream().map(AuthService::info).toList(),
                dao.count(scope)));
    }

    /**
     * Revokes a token; revoking one that is already revoked changes nothing. Another organization's
     * token does not exist for an organization's ADMIN; the bootstrap token is the system
     * administrator's to revoke.
     */
    public void revoke(Caller caller, UUID tokenId) {
        jdbi.useTransaction(handle -> {
            TokenDao dao = handle.attach(TokenDao.class);
            TokenDao.Row row = dao.find(tokenId)
                    .filter(found -> caller.systemAdmin() || found.organizationId().equals(caller.organizationId()))
                    .orElseThrow(() -> new NotFoundException("token " + tokenId));
            if (row.bootstrap() && !caller.systemAdmin()) {
                throw new ForbiddenException("token " + tokenId + " is the bootstrap administrator's: only a system"
                        + " administrator revokes it (or the operator, by setting a new AF_ADMIN_TOKEN)");
            }
            if (dao.revoke(tokenId, caller.principal()) == 1) {
                TokenInfo after = dao.find(tokenId).map(AuthService::info).orElseThrow();
                auditLog.append(handle, AuditEvent.by(caller, "token.revoked", "token", tokenId,
                        Json.tree(info(row)), Json.tree(after)).inOrganization(row.organizationId()));
                announceRevoked(handle, row.organizationId(), tokenId);
            }
        });
        // after the commit, so a request in between cannot put the revoked token back
        evict(tokenId);
    }

    /** Every instance forgets the token once the transaction commits. Last in the transaction. */
    static void announceRevoked(Handle handle, UUID organizationId, UUID tokenId) {
        ChangeLog.record(handle, REVOKED, organizationId, tokenId.toString());
    }

    /** Revocations made on any instance (and at its start-up) reach this one's cache. */
    public void listenTo(ChangeFeed changes) {
        changes.on(REVOKED, change -> evict(UUID.fromString(change.subject())))
                .onReconnect(cache::clear);
    }

    private void evict(UUID tokenId) {
        cache.values().removeIf(cached -> cached.row().id().equals(tokenId));
    }

    static TokenInfo info(TokenDao.Row row) {
        return new TokenInfo(row.id(), row.principal(), row.organizationId(), List.copyOf(roles(row.roles())),
                row.agentId(), row.bootstrap(), row.createdAt(), row.createdBy(), row.revokedAt(), row.revokedBy());
    }

    private static TokenInfo withoutSecret(IssuedToken t) {
        return new TokenInfo(t.id(), t.principal(), t.organizationId(), t.roles(), t.agentId(), false, t.createdAt(),
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
