package dev.agentfactory.auth;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The answer to {@code POST /api/tokens}: the only time the secret is shown. */
public record IssuedToken(UUID id, String token, String principal, UUID organizationId, List<Role> roles,
                          UUID agentId, Instant createdAt) {
}
