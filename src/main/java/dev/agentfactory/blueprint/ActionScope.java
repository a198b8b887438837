package dev.agentfactory.blueprint;

/** How far an action reaches, narrowest first: agent-to-agent, internal but driving external effects, external effect. */
public enum ActionScope {
    InnerWorld("agent-to-agent work with no effect outside (classify, summarize, recommend): auto-approved, audited"),
    Hybrid("internal, but drives external actions (tasks, escalations, reports): approval depends on confidence"),
    RealWorld("an effect outside (messages, calls, payments, CRM changes): full validation and a human when the rules say so");

    private final String meaning;

    ActionScope(String meaning) {
        this.meaning = meaning;
    }

    /** One line for people choosing a value (the catalog, the console). */
    public String meaning() {
        return meaning;
    }
}
