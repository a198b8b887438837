package dev.agentfactory.rules.model;

/**
 * Fact: one action or blueprint as an organization's custom rules see it. The generated rules
 * carry no values: a condition is named by its rule's number and its own position in that rule
 * ({@code test(3, 0)}), and {@code check} evaluates it in Java against the stored, already
 * type-checked definition.
 */
public record CustomRuleInput(CustomTarget target, Check check) {

    /** Evaluates condition {@code condition} of the custom rule numbered {@code rule}. */
    @FunctionalInterface
    public interface Check {
        boolean test(int rule, int condition);
    }

    public boolean test(int rule, int condition) {
        return check.test(rule, condition);
    }
}
