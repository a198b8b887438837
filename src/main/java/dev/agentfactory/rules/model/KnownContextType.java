package dev.agentfactory.rules.model;

/** Derived by the catalog ({@code rules/catalog/context-types.drl}): this context type exists. */
public record KnownContextType(String name) {
}
