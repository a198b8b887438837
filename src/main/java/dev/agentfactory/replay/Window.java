package dev.agentfactory.replay;

import java.time.Instant;
import java.util.UUID;

/**
 * Which stored decisions a replay reads: created in [from, to), of one organization (null: all, the
 * CLI) and one agent (null: all), at most {@code limit} of them, oldest first.
 */
public record Window(UUID organizationId, UUID agentId, Instant from, Instant to, int limit, int samples) {
    public static final int MAX_LIMIT = 100_000;
    public static final int MAX_SAMPLES = 100;
}
