package dev.agentfactory.rules;

import java.util.List;

/**
 * What a freshly compiled set must pass before it replaces the live one: the rule tests under
 * {@code rules/tests}. An empty list means accepted.
 */
@FunctionalInterface
public interface RuleSetCheck {
    List<RuleError> check(RuleSet candidate, RuleSource source);
}
