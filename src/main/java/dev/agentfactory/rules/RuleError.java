package dev.agentfactory.rules;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why a rule set was refused: where (file relative to the rules folder, line from 1; 0 when unknown) and what.
 *
 * @param hint the same problem in a plain sentence, beside Drools' own message; null when there is none
 */
public record RuleError(String file, int line, String message,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String hint) {

    public RuleError(String file, int line, String message) {
        this(file, line, message, null);
    }

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + message + (hint == null ? "" : " (" + hint + ")");
    }
}
