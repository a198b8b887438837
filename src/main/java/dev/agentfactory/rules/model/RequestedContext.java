package dev.agentfactory.rules.model;

/** Fact: a context type a proposed action reads. */
public record RequestedContext(String type) {
}
