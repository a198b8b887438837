package dev.agentfactory.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The answer of {@code GET /api/cluster}: every instance, and whether the live ones serve what the
 * database says (and the same as each other).
 *
 * @param agree no live instance shows a difference, apart from settling ones
 * @param settling some difference concerns an organization that changed in the last few seconds:
 *     the change is still on its way
 * @param latestChange the id of the newest change recorded; an instance that applied it is up to date
 */
public record ClusterView(boolean agree, boolean settling, Instant checkedAt, long latestChange, int liveInstances,
                          List<InstanceView> instances, List<Difference> differences) {
    public ClusterView {
        instances = List.copyOf(instances);
        differences = List.copyOf(differences);
    }

    /**
     * One instance. Host, pid and address are shown to the system administrator only.
     *
     * @param stale not seen for a while: crashed or hanging; not counted in {@code agree}
     * @param self the instance that answered
     * @param agrees live, and no difference but settling ones
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InstanceView(UUID id, String host, Long pid, String address, Instant startedAt, Instant lastSeen,
                               boolean stale, boolean self, long appliedChange, String ruleSet, int agents,
                               int pausedAgents, Map<UUID, Long> customRules, boolean agrees) {
        public InstanceView {
            customRules = Map.copyOf(customRules);
        }
    }

    /**
     * Something a live instance serves otherwise than it should.
     *
     * @param kind {@code ruleSet}, {@code agent}, {@code customRules}, or {@code changes} (it has not
     *     applied changes recorded a while ago)
     * @param subject the agent or organization id, the rule set, or the first change not applied
     * @param settling its organization changed in the last few seconds: probably still on its way
     */
    public record Difference(UUID instance, String kind, String subject, String expected, String actual,
                             boolean settling) {
    }
}
