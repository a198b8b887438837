package dev.agentfactory.rules;

import java.util.List;

/**
 * What an organization's custom rules add to one evaluation.
 *
 * @param fired ids of the custom rules that fired
 * @param facts input facts for the shared rules' second run (risk contributions, approval reasons,
 *              verdicts, findings, approval needs, explanations): only additions, never removals
 */
public record CustomOutcome(List<String> fired, List<Object> facts) {
    public static final CustomOutcome NONE = new CustomOutcome(List.of(), List.of());

    public CustomOutcome {
        fired = List.copyOf(fired);
        facts = List.copyOf(facts);
    }

    public boolean isEmpty() {
        return fired.isEmpty() && facts.isEmpty();
    }
}
