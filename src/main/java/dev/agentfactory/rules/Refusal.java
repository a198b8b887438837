package dev.agentfactory.rules;

import java.time.Instant;
import java.util.List;

/**
 * A rule set that was not loaded, and why.
 *
 * @param reason {@code compile} (did not compile or lacks metadata) or {@code tests} (a rule test failed)
 */
public record Refusal(String version, Instant at, String reason, List<RuleError> errors) {
    public Refusal {
        errors = List.copyOf(errors);
    }
}
