package dev.agentfactory.customrule;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one evaluation of an organization's custom rules needs besides the subject: the pattern
 * step budget they share, and notes on conditions that counted as met because the value could not
 * be judged (so the reasons can say so).
 */
final class Trace {
    private final BoundedPattern.Budget budget = BoundedPattern.Budget.standard();
    private final Map<Integer, Set<String>> notes = new HashMap<>();

    BoundedPattern.Budget budget() {
        return budget;
    }

    void note(int rule, String text) {
        notes.computeIfAbsent(rule, r -> new LinkedHashSet<>()).add(text);
    }

    List<String> notes(int rule) {
        return List.copyOf(notes.getOrDefault(rule, Set.of()));
    }
}
