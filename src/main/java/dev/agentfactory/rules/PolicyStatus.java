package dev.agentfactory.rules;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/rules/status}: the bundle this instance serves, the one the database says is
 * active (they differ only while a new one is being built, or when this instance could not build
 * it: {@code lastRefusal} then says why), and the last bundle refused here.
 *
 * @param watching the rules folder this instance publishes from, or null when it does not watch one
 * @param lastRefusalState whether {@code lastRefusal} still matters; null when nothing was refused
 */
public record PolicyStatus(String version, Instant loadedAt, String source, int ruleCount, List<String> files,
                           Templates templates, BuiltBundle.TestSummary tests, String activeVersion, boolean inSync,
                           Refusal lastRefusal, RefusalState lastRefusalState, String watching) {
    public PolicyStatus {
        files = List.copyOf(files);
    }

    /** True when a refused set is still on disk or nothing served since it: the server is degraded. */
    public boolean degraded() {
        return lastRefusalState != null && !lastRefusalState.resolved();
    }

    /**
     * @param resolved a bundle served since the refusal, or the watched folder holds the serving bundle again
     * @param onDisk the watched folder still holds exactly the refused files
     * @param note the same in a sentence
     */
    public record RefusalState(boolean resolved, boolean onDisk, String note) {
    }

    /** @param version the version of the templates alone: agents record it when they are compiled */
    public record Templates(String version) {
    }
}
