package dev.agentfactory.auth;

import io.javalin.http.Context;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling: the principal behind the bearer token, its organization and roles, and the
 * request id that ties its log lines and audit entries together.
 *
 * @param agentId the agent an AGENT token is bound to, or null
 * @param systemAdmin whether the token is the bootstrap admin's: the one caller that manages
 *     organizations and tokens of every organization. An ADMIN minted for an organization is not.
 */
public record Caller(String principal, UUID organizationId, String organizationName, Set<Role> roles,
                     UUID tokenId, UUID agentId, String requestId, boolean systemAdmin) {
    private static final String ATTRIBUTE = "caller";

    public Caller {
        roles = Set.copyOf(roles);
    }

    /** A caller that is not the system administrator. */
    public Caller(String principal, UUID organizationId, String organizationName, Set<Role> roles, UUID tokenId,
                  UUID agentId, String requestId) {
        this(principal, organizationId, organizationName, roles, tokenId, agentId, requestId, false);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean isAdmin() {
        return has(Role.ADMIN);
    }

    /** The system itself (start-up, background jobs) as an audit actor within one organization. */
    public static Caller system(UUID organizationId, String requestId) {
        return new Caller("system", organizationId, null, Set.of(Role.ADMIN), null, null, requestId);
    }

    void attachTo(Context ctx) {
        ctx.attribute(ATTRIBUTE, this);
    }

    /** The authenticated caller of a route that declared roles (set by {@link AccessControl}). */
    public static Caller of(Context ctx) {
        Caller caller = ctx.attribute(ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("route " + ctx.path() + " declared no roles but needs a caller");
        }
        return caller;
    }
}
