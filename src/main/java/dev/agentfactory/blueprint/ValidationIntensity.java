package dev.agentfactory.blueprint;

/** How hard the validation tiers look. */
public enum ValidationIntensity {
    Minimal("structure only: for drafts and experiments"),
    Standard("structure, security and business rules: the default"),
    Strict("everything Standard checks, with warnings treated seriously"),
    Custom("the organization's own custom rules decide what more is checked");

    private final String meaning;

    ValidationIntensity(String meaning) {
        this.meaning = meaning;
    }

    /** One line for people choosing a value (the catalog, the console). */
    public String meaning() {
        return meaning;
    }
}
