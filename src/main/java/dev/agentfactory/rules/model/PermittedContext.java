package dev.agentfactory.rules.model;

/** Derived by a compiled agent: its blueprint allows this context type (required or optional). */
public record PermittedContext(String type, boolean required) {
}
