package dev.agentfactory.rules.model;

/** Result fact: evidence that the blueprint is at least this risky. The highest signal wins; none means Low. */
public record RiskSignal(String ruleId, RiskLevel level, String reason) {
}
