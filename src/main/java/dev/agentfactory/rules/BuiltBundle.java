package dev.agentfactory.rules;

import java.util.List;

/**
 * A bundle that passed the builder: its shared rules compiled into {@code rules}, its templates
 * proven on a probe agent, every rule test passed against both. Immutable, so it can be built once
 * per version and swapped in (again) at any time.
 *
 * @param files the paths of the bundle's files
 * @param millis how long building it took
 * @param catalog the action and context types its catalog rules know
 */
public record BuiltBundle(String version, RuleSet rules, TemplateSet templates, TestSummary tests, List<String> files,
                          long millis, Catalog catalog) {
    public BuiltBundle {
        files = List.copyOf(files);
    }

    /** What the rule tests of a bundle covered; a built bundle passed them all. */
    public record TestSummary(int files, int cases) {
    }
}
