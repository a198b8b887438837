package dev.agentfactory.rules.model;

/** Fact: a context type a blueprint asks for (required or optional). */
public record ContextTypeFact(String name) {
}
