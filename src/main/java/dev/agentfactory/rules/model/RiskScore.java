package dev.agentfactory.rules.model;

/** Derived (tier 2): the action's risk score, the capped sum of its risk contributions. */
public record RiskScore(double value) {
    public static RiskScore of(Number sum) {
        return new RiskScore(Math.min(1.0, Math.round(sum.doubleValue() * 1000) / 1000.0));
    }
}
