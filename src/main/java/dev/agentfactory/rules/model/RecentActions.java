package dev.agentfactory.rules.model;

/**
 * Fact: the agent's recent history over one sliding window, for rules that declare it with
 * {@code @window("<per> <actionType|*> <hours>")}, e.g. {@code @window("contact SendEmail 24")}.
 * Counted are the agent's decisions since the start of the minute {@code hours} ago that were
 * executed, approved or are waiting for approval (rejected and expired ones did not happen).
 *
 * @param per {@code agent} (all its actions) or {@code contact} (those for the proposed action's contact)
 * @param actionType the action type counted, or {@code *} for every type
 * @param count how many such actions
 * @param amount the sum of their {@code payload.amount} (0 when none has a numeric one)
 */
public record RecentActions(String per, String actionType, int hours, long count, double amount) {
}
