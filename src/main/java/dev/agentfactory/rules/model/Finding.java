package dev.agentfactory.rules.model;

/**
 * Result fact: one thing a rule found wrong or noteworthy. Rules create it with
 * {@link Results#finding}, which copies id, tier, severity and category from the rule's metadata.
 *
 * @param field the blueprint field it is about, e.g. {@code actionConfig.allowedActionTypes}, or null
 */
public record Finding(String ruleId, int tier, Severity severity, String category, String message, String field) {
}
