package dev.agentfactory.blueprint;

/** The industry an agent works in; regulated ones get stricter rules. */
public enum IndustryProfile {
    RealEstate("leads, viewings and listings"),
    Mortgage("regulated lending: real-world actions keep a human in the loop"),
    Financial("regulated finance: real-world actions keep a human in the loop"),
    Insurance("policies and claims"),
    Healthcare("patients and appointments"),
    Retail("customers and orders"),
    General("anything else");

    private final String meaning;

    IndustryProfile(String meaning) {
        this.meaning = meaning;
    }

    /** One line for people choosing a value (the catalog, the console). */
    public String meaning() {
        return meaning;
    }
}
