package dev.agentfactory.rules;

import java.time.Instant;
import java.util.List;

/** {@code GET /api/rules/status}: what is serving, and the last set that was refused (or null). */
public record RuleStatus(String version, Instant loadedAt, int ruleCount, List<String> files, Refusal lastRefusal) {
}
