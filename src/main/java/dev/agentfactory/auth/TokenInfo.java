package dev.agentfactory.auth;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A token as listed: never its secret.
 *
 * @param systemAdmin the bootstrap administrator's token, which manages every organization
 */
public record TokenInfo(UUID id, String principal, UUID organizationId, List<Role> roles, UUID agentId,
                        boolean systemAdmin, Instant createdAt, String createdBy, Instant revokedAt, String revokedBy) {
    public TokenInfo {
        roles = List.copyOf(roles);
    }
}
