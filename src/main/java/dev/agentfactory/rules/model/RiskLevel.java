package dev.agentfactory.rules.model;

/** Overall risk of a blueprint, lowest first. */
public enum RiskLevel {
    Low, Medium, High
}
