package dev.agentfactory.auth;

import java.util.List;
import java.util.UUID;

/** The body of {@code POST /api/tokens}. organizationId defaults to the caller's. */
public record NewToken(String principal, UUID organizationId, List<Role> roles, UUID agentId) {
}
