package dev.agentfactory.cluster;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.web.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Compares what each instance reports serving with what the database says it should serve: the
 * live rule set, every running agent's deployment and paused flag, each organization's custom
 * rules; and flags an instance that stopped applying changes. The system administrator sees every
 * instance and organization; an organization's ADMIN the same limited to its own agents and rules,
 * without hosts and addresses.
 *
 * <p>A change takes up to about a second to be applied everywhere and reported by a heartbeat
 * (longer when an agent compiles): a difference in an organization that changed within
 * {@link #SETTLE} is shown as settling and does not count against {@code agree}.
 */
public final class ClusterService {
    static final Duration SETTLE = Duration.ofSeconds(3);

    private final Jdbi jdbi;
    private final Instances self;
    private final Supplier<Serving> desired;

    /** @param desired what every instance should serve, read from the database */
    public ClusterService(Jdbi jdbi, Instances self, Supplier<Serving> desired) {
        this.jdbi = jdbi;
        this.self = self;
        this.desired = desired;
    }

    private record Row(UUID id, String host, long pid, String address, Instant startedAt, Instant lastSeen,
                       long appliedChange, Serving serving, boolean stale) {
    }

    /** The organizations that changed within {@link #SETTLE}; {@code everyone}: a change for all of them. */
    private record Recent(Set<UUID> organizations, boolean everyone) {
        boolean touches(UUID organizationId) {
            return everyone || organizations.contains(organizationId);
        }
    }

    public ClusterView view(Caller caller) {
        UUID scope = caller.systemAdmin() ? null : caller.organizationId();
        return jdbi.withHandle(handle -> {
            List<Row> rows = instances(handle, scope);
            Serving want = scoped(desired.get(), scope);
            long latest = handle.createQuery("select coalesce(max(id), 0) from cluster_changes").mapTo(Long.class).one();
            Recent recent = recent(handle);

            List<Row> live = rows.stream().filter(row -> !row.stale()).toList();
            String ruleSet = want.ruleSet() != null ? want.ruleSet()
                    : mostServed(live.stream().map(row -> row.serving().ruleSet()).toList());
            Serving expected = new Serving(ruleSet, want.agents(), want.customRules());

            List<ClusterView.Difference> differences = new ArrayList<>();
            List<ClusterView.InstanceView> instances = new ArrayList<>();
            for (Row row : rows) {
                List<ClusterView.Difference> own = new ArrayList<>();
                if (!row.stale()) {
                    own.addAll(differences(row.id(), expected, row.serving(), recent));
                    notApplied(handle, row, scope).ifPresent(own::add);
                }
                differences.addAll(own);
                Serving serving = row.serving();
                instances.add(new ClusterView.InstanceView(row.id(), scope == null ? row.host() : null,
                        scope == null ? row.pid() : null, scope == null ? row.address() : null, row.startedAt(),
                        row.lastSeen(), row.stale(), row.id().equals(self.id()), row.appliedChange(),
                        serving.ruleSet(), serving.agents().size(),
                        (int) serving.agents().values().stream().filter(AgentServing::paused).count(),
                        serving.customRules(), !row.stale() && own.stream().allMatch(ClusterView.Difference::settling)));
            }
            return new ClusterView(differences.stream().allMatch(ClusterView.Difference::settling),
                    differences.stream().anyMatch(ClusterView.Difference::settling), Instant.now(), latest,
                    live.size(), instances, differences);
        });
    }

    private List<Row> instances(Handle handle, UUID scope) {
        return handle.createQuery("""
                        select id, host, pid, address, started_at, last_seen, applied_change, serving::text as serving,
                               last_seen < now() - cast(:stale as interval) as stale
                          from cluster_instances order by started_at, id
                        """)
                .bind("stale", Instances.STALE.toSeconds() + " seconds")
                .map((rs, ctx) -> {
                    UUID id = rs.getObject("id", UUID.class);
                    // this instance answers from memory: its row may be a heartbeat old
                    boolean isSelf = id.equals(self.id());
                    Serving serving = isSelf ? self.serving() : Json.read(rs.getString("serving"), Serving.class);
                    return new Row(id, rs.getString("host"), rs.getLong("pid"), rs.getString("address"),
                            rs.getTimestamp("started_at").toInstant(),
                            isSelf ? Instant.now() : rs.getTimestamp("last_seen").toInstant(),
                            isSelf ? self.appliedChange() : rs.getLong("applied_change"), scoped(serving, scope),
                            rs.getBoolean("stale"));
                })
                .list();
    }

    private static Recent recent(Handle handle) {
        Set<UUID> organizations = new HashSet<>();
        boolean[] everyone = {false};
        handle.createQuery("""
                        select distinct organization_id from cluster_changes
                         where created_at > now() - cast(:settle as interval)
                        """)
                .bind("settle", SETTLE.toMillis() + " milliseconds")
                .map((rs, ctx) -> rs.getObject("organization_id", UUID.class))
                .forEach(organization -> {
                    if (organization == null) {
                        everyone[0] = true;
                    } else {
                        organizations.add(organization);
                    }
                });
        return new Recent(organizations, everyone[0]);
    }

    /**
     * A live instance that has not applied a change recorded longer than {@link #SETTLE} ago stopped
     * applying them (for an organization: a change of its own, or one for every organization).
     */
    private static Optional<ClusterView.Difference> notApplied(Handle handle, Row row, UUID scope) {
        return handle.createQuery("""
                        select id from cluster_changes
                         where id > :applied and created_at < now() - cast(:settle as interval)
                           and (cast(:scope as uuid) is null or organization_id is null or organization_id = :scope)
                         order by id limit 1
                        """)
                .bind("applied", row.appliedChange()).bind("settle", SETTLE.toMillis() + " milliseconds")
                .bindByType("scope", scope, UUID.class)
                .mapTo(Long.class).findOne()
                .map(first -> new ClusterView.Difference(row.id(), "changes", first.toString(),
                        "every change applied", "applied up to change " + row.appliedChange(), false));
    }

    private static List<ClusterView.Difference> differences(UUID instance, Serving want, Serving serving,
                                                            Recent recent) {
        List<ClusterView.Difference> out = new ArrayList<>();
        if (want.ruleSet() != null && !want.ruleSet().equals(serving.ruleSet())) {
            out.add(new ClusterView.Difference(instance, "ruleSet", "rules", want.ruleSet(),
                    Objects.requireNonNullElse(serving.ruleSet(), "none loaded"), false));
        }
        want.agents().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(wanted -> {
            AgentServing has = serving.agents().get(wanted.getKey());
            if (has == null || !has.deploymentId().equals(wanted.getValue().deploymentId())
                    || has.paused() != wanted.getValue().paused()) {
                out.add(new ClusterView.Difference(instance, "agent", wanted.getKey().toString(),
                        wanted.getValue().describe(), has == null ? "not served" : has.describe(),
                        recent.touches(wanted.getValue().organizationId())));
            }
        });
        serving.agents().entrySet().stream().filter(e -> !want.agents().containsKey(e.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(extra -> out.add(new ClusterView.Difference(instance, "agent", extra.getKey().toString(),
                        "not deployed", extra.getValue().describe(),
                        recent.touches(extra.getValue().organizationId()))));
        want.customRules().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(wanted -> {
            long has = serving.customRules().getOrDefault(wanted.getKey(), 0L);
            if (has != wanted.getValue()) {
                out.add(new ClusterView.Difference(instance, "customRules", wanted.getKey().toString(),
                        "version " + wanted.getValue(), has == 0 ? "not loaded" : "version " + has,
                        recent.touches(wanted.getKey())));
            }
        });
        return out;
    }

    /** The value most instances serve (the first one seen on a tie), to compare the others with. */
    private static String mostServed(List<String> values) {
        Map<String, Long> counts = values.stream().filter(Objects::nonNull)
                .collect(Collectors.groupingBy(Function.identity(), LinkedHashMap::new, Collectors.counting()));
        return counts.entrySet().stream().max(Comparator.comparingLong(Map.Entry::getValue))
                .map(Map.Entry::getKey).orElse(null);
    }

    private static Serving scoped(Serving serving, UUID organizationId) {
        if (organizationId == null) {
            return serving;
        }
        return new Serving(serving.ruleSet(),
                serving.agents().entrySet().stream().filter(e -> organizationId.equals(e.getValue().organizationId()))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                serving.customRules().entrySet().stream().filter(e -> organizationId.equals(e.getKey()))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }
}
