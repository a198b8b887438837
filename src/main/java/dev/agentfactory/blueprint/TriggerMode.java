package dev.agentfactory.blueprint;

/** How an agent is set off. */
public enum TriggerMode {
    Reactive("runs when an event or an intent it listens to arrives"),
    Proactive("starts work on its own schedule, within its triggers"),
    Assistive("helps a person who stays in charge of every step"),
    Autonomous("runs on its own; with real-world actions its deployment is approved by a human");

    private final String meaning;

    TriggerMode(String meaning) {
        this.meaning = meaning;
    }

    /** One line for people choosing a value (the catalog, the console). */
    public String meaning() {
        return meaning;
    }
}
