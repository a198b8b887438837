package dev.agentfactory.audit;

import java.time.Instant;

/** Optional filters of an audit search; null means "any". */
public record AuditFilter(String entityId, String actor, String action, Instant from, Instant to) {
}
