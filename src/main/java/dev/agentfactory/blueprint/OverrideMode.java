package dev.agentfactory.blueprint;

/** Who decides whether a proposed action needs a human. */
public enum OverrideMode {
    AlwaysAsk("a human approves every action"),
    NeverAsk("actions run without a human when the checks pass (only an admin may choose it with real-world actions)"),
    LLMDecision("the configured LLM judges the soft reasons; hard reasons still go to a human"),
    RiskBased("a human approves when the risk, the confidence, the action type or the scope says so");

    private final String meaning;

    OverrideMode(String meaning) {
        this.meaning = meaning;
    }

    /** One line for people choosing a value (the catalog, the console). */
    public String meaning() {
        return meaning;
    }
}
