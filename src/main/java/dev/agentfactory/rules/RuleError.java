package dev.agentfactory.rules;

/** Why a rule set was refused: where (file relative to the rules folder, line from 1; 0 when unknown) and what. */
public record RuleError(String file, int line, String message) {
    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + message;
    }
}
