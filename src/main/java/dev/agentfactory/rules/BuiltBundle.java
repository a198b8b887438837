package dev.agentfactory.rules;

import java.util.List;

/**
 * A bundle that passed the builder: its shared rules compiled into {@code rules}, its templates
 * proven on a probe agent, every rule test passed against both. Immutable, so it can be built once
 * per version and swapped in (again) at any time.
 *
 * @param files the paths of the bundle's files
 * @param millis how long building it took, until its rule tests passed
 * @param warmUpRounds how many more times its rule tests ran to warm it up before it was handed out
 * @param catalog the action and context types its catalog rules know
 */
public record BuiltBundle(String version, RuleSet rules, TemplateSet templates, TestSummary tests, List<String> files,
                          long millis, int warmUpRounds, Catalog catalog) {
    public BuiltBundle {
        files = List.copyOf(files);
    }

    /** What the rule tests of a bundle covered; a built bundle passed them all. */
    public record TestSummary(int files, int cases) {
    }
}
