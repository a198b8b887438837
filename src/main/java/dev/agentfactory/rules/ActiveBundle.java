package dev.agentfactory.rules;

import java.time.Instant;

/**
 * The bundle an instance serves: its shared rules and its agent templates, swapped in together.
 *
 * @param source where the bundle was published from, as stored with it
 * @param loadedAt when this instance started serving it
 */
public record ActiveBundle(BuiltBundle built, String source, Instant loadedAt) {
    public String version() {
        return built.version();
    }

    public RuleSet rules() {
        return built.rules();
    }

    public TemplateSet templates() {
        return built.templates();
    }
}
