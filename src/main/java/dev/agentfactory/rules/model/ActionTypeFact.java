package dev.agentfactory.rules.model;

/** Fact: an action type to classify (each allowed or high-risk type of a blueprint, or a proposed action's type). */
public record ActionTypeFact(String name) {
}
