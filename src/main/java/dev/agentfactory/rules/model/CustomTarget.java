package dev.agentfactory.rules.model;

import java.util.Locale;

/** What an organization's custom rule looks at: a proposed action, or a blueprint being validated. */
public enum CustomTarget {
    ACTION, BLUEPRINT;

    /** As the API writes it: {@code action}, {@code blueprint}. */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
