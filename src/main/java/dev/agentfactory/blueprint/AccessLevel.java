package dev.agentfactory.blueprint;

/** How much context an agent may read, narrowest first. */
public enum AccessLevel {
    ContactOnly("only the contact the agent works on"),
    Organization("anything of its own organization"),
    CrossOrg("other organizations' data too: only an admin may ask for it, and the deployment is approved"),
    System("everything the platform holds: only an admin may ask for it, and the deployment is approved");

    private final String meaning;

    AccessLevel(String meaning) {
        this.meaning = meaning;
    }

    /** One line for people choosing a value (the catalog, the console). */
    public String meaning() {
        return meaning;
    }
}
