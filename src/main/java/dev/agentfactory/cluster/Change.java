package dev.agentfactory.cluster;

import java.util.UUID;

/**
 * Something every server instance must apply. It names what changed, not how: the handler reads
 * the current state from the table that owns it, so applying a change late or twice is harmless.
 *
 * @param organizationId the organization concerned, or null for a system-wide change
 * @param subject what changed: an agent id, a bundle version, a token id, ...
 */
public record Change(long id, String kind, UUID organizationId, String subject) {
}
