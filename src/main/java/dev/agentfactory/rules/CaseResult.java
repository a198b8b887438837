package dev.agentfactory.rules;

import java.util.List;

/** The outcome of one rule test case: passed when nothing failed. */
public record CaseResult(String file, int line, String name, List<String> failures) {
    public CaseResult {
        failures = List.copyOf(failures);
    }

    public boolean passed() {
        return failures.isEmpty();
    }
}
