package dev.agentfactory.customrule;

/**
 * One example that did not behave as its rule states: a detail of the 422 refusing a change.
 *
 * @param field the example, e.g. {@code examples[1]}
 */
record ExampleFailure(String rule, String ruleId, String field, String problem) {
}
