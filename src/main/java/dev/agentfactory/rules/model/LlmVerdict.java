package dev.agentfactory.rules.model;

/**
 * Fact: what the configured LLM said about the action.
 *
 * @param used false when no LLM was asked or its answer could not be used (not configured, timed out, unparsable)
 * @param reason the LLM's reason, or why it was not used
 */
public record LlmVerdict(boolean used, boolean requireHuman, String reason) {
}
