package dev.agentfactory.customrule;

import dev.agentfactory.rules.CustomRules;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every organization's compiled custom rules, in memory. Looked up on every decision: an
 * organization without custom rules costs one map look-up. A set replaces the installed one only
 * if it is newer, so a slow installer can never put back an older set.
 */
public final class CustomRuleRegistry implements CustomRules.Lookup {
    private final ConcurrentHashMap<UUID, CustomRuleSet> sets = new ConcurrentHashMap<>();

    @Override
    public Optional<CustomRules> find(UUID organizationId) {
        return Optional.ofNullable(sets.get(organizationId));
    }

    void install(CustomRuleSet set) {
        sets.merge(set.organizationId(), set, (installed, candidate) ->
                candidate.version() > installed.version() ? candidate : installed);
    }

    /** Each organization's installed version, for the instance's heartbeat. */
    public Map<UUID, Long> versions() {
        Map<UUID, Long> versions = new HashMap<>();
        sets.forEach((organizationId, set) -> versions.put(organizationId, set.version()));
        return versions;
    }

    long version(UUID organizationId) {
        CustomRuleSet set = sets.get(organizationId);
        return set == null ? 0 : set.version();
    }
}
