package dev.agentfactory.rules.model;

/** Derived by a compiled agent: its blueprint allows this action type (and whether it listed it as high-risk). */
public record PermittedAction(String actionType, boolean highRisk) {
}
