package dev.agentfactory.rules;

/**
 * A principal who may not vote on a request, and why.
 *
 * @param ruleId the routing rule that excluded it, or null for the server's own separation of
 *     duties (the requester, whoever deployed the agent or holds its tokens)
 */
public record ExcludedVoter(String principal, String reason, String ruleId) {
}
