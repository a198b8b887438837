package dev.agentfactory.rules;

import java.util.List;

/** A blueprint version that did not compile into an agent, or whose compiled form failed its smoke check. */
public class AgentCompileException extends RuntimeException {
    private final String reason;
    private final List<RuleError> errors;

    /** @param reason {@code policy} (the templates break the rule policy: nothing was filled in) or {@code compile} */
    public AgentCompileException(String reason, String message, List<RuleError> errors) {
        super(message + ": " + errors);
        this.reason = reason;
        this.errors = List.copyOf(errors);
    }

    public String reason() {
        return reason;
    }

    public List<RuleError> errors() {
        return errors;
    }
}
