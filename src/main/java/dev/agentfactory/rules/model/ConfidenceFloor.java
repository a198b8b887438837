package dev.agentfactory.rules.model;

import dev.agentfactory.blueprint.ActionScope;

/** Derived (tier 2): the lowest confidence an action of this scope may have without a human looking. */
public record ConfidenceFloor(ActionScope scope, double value) {
}
