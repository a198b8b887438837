package dev.agentfactory.rules.model;

import dev.agentfactory.blueprint.ActionScope;

/**
 * Derived by the catalog ({@code rules/catalog/action-scopes.drl}): the scope of one action type.
 *
 * @param known false when the catalog does not list the type (it is then RealWorld)
 */
public record ActionScopeFact(String actionType, ActionScope scope, boolean known) {
}
