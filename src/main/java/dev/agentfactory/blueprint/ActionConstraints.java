package dev.agentfactory.blueprint;

/**
 * Limits on how often an agent acts. Both optional.
 *
 * @param maxDailyActions actions per agent per day
 * @param cooldownPeriod minimum time between two actions of one type for one contact: ISO-8601
 *     ({@code PT2H}) or short ({@code 2h}, {@code 30m}, {@code 45s}, {@code 1d})
 */
public record ActionConstraints(Integer maxDailyActions, String cooldownPeriod) {
    static ActionConstraints none() {
        return new ActionConstraints(null, null);
    }
}
