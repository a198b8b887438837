package dev.agentfactory.blueprint;

/** Optional filters of {@code GET /api/agents}; null means "any" (and, for status, "not Deprecated"). */
public record BlueprintFilter(BlueprintStatus status, String createdBy, IndustryProfile industryProfile) {
}
