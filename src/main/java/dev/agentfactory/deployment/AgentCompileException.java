package dev.agentfactory.deployment;

import dev.agentfactory.rules.RuleError;
import java.util.List;

/** A blueprint version that did not compile into an agent, or whose compiled form failed its smoke check. */
public class AgentCompileException extends RuntimeException {
    private final List<RuleError> errors;

    public AgentCompileException(String message, List<RuleError> errors) {
        super(message + ": " + errors);
        this.errors = List.copyOf(errors);
    }

    public List<RuleError> errors() {
        return errors;
    }
}
