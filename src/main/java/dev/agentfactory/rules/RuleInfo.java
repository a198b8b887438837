package dev.agentfactory.rules;

import dev.agentfactory.rules.model.Severity;

/** One loaded rule as {@code GET /api/validation/rules} lists it. */
public record RuleInfo(String id, String name, String file, String packageName, int tier, Severity severity,
                       String description) {
}
