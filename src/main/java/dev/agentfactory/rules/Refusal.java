package dev.agentfactory.rules;

import java.time.Instant;
import java.util.List;

/**
 * A rule set that was not loaded, and why.
 *
 * @param reason {@code policy} (a file breaks the rule policy; nothing of the set was compiled or run),
 *     {@code compile} (did not compile or lacks metadata), {@code tests} (a rule test failed) or
 *     {@code templates} (the agent templates do not compile into a working agent)
 */
public record Refusal(String version, Instant at, String reason, List<RuleError> errors) {
    public Refusal {
        errors = List.copyOf(errors);
    }
}
