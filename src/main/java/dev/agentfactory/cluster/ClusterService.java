package dev.agentfactory.cluster;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.web.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Compares what each instance reports serving with what the database says it should serve: the
 * live rule set, every running agent's deployment and paused flag, each organization's custom
 * rules. The system administrator sees every instance and organization; an organization's ADMIN
 * the same limited to its own agents and rules, without hosts and addresses.
 */
public final class ClusterService {
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
                       long appliedChange, String serving, boolean stale) {
    }

    public ClusterView view(Caller caller) {
        UUID scope = caller.systemAdmin() ? null : caller.organizationId();
        Serving want = scoped(desired.get(), scope);
        long latest = jdbi.withHandle(h -> h.createQuery("select coalesce(max(id), 0) from cluster_changes")
                .mapTo(Long.class).one());
        List<Row> rows = jdbi.withHandle(h -> h.createQuery("""
                        select id, host, pid, address, started_at, last_seen, applied_change, serving::text as serving,
                               last_seen < now() - cast(:stale as interval) as stale
                          from cluster_instances order by started_at, id
                        """)
                .bind("stale", Instances.STALE.toSeconds() + " seconds")
                .map((rs, ctx) -> new Row(rs.getObject("id", UUID.class), rs.getString("host"), rs.getLong("pid"),
                        rs.getString("address"), rs.getTimestamp("started_at").toInstant(),
                        rs.getTimestamp("last_seen").toInstant(), rs.getLong("applied_change"),
                        rs.getString("serving"), rs.getBoolean("stale")))
                .list());

        Map<UUID, Serving> served = new LinkedHashMap<>();
        for (Row row : rows) {
            // this instance answers from memory: its row may be a heartbeat old
            Serving serving = row.id().equals(self.id()) ? self.serving() : Json.read(row.serving(), Serving.class);
            served.put(row.id(), scoped(serving, scope));
        }
        List<UUID> live = rows.stream().filter(r -> !r.stale()).map(Row::id).toList();
        String ruleSet = want.ruleSet() != null ? want.ruleSet()
                : mostServed(live.stream().map(id -> served.get(id).ruleSet()).toList());

        List<ClusterView.Difference> differences = new ArrayList<>();
        List<ClusterView.InstanceView> instances = new ArrayList<>();
        for (Row row : rows) {
            Serving serving = served.get(row.id());
            List<ClusterView.Difference> own = row.stale() ? List.of()
                    : differences(row.id(), new Serving(ruleSet, want.agents(), want.customRules()), serving);
            differences.addAll(own);
            boolean isSelf = row.id().equals(self.id());
            instances.add(new ClusterView.InstanceView(row.id(), scope == null ? row.host() : null,
                    scope == null ? row.pid() : null, scope == null ? row.address() : null, row.startedAt(),
                    isSelf ? Instant.now() : row.lastSeen(), row.stale(), isSelf,
                    isSelf ? self.appliedChange() : row.appliedChange(), serving.ruleSet(), serving.agents().size(),
                    (int) serving.agents().values().stream().filter(AgentServing::paused).count(),
                    serving.customRules(), !row.stale() && own.isEmpty()));
        }
        return new ClusterView(differences.isEmpty(), Instant.now(), latest, live.size(), instances, differences);
    }

    private static List<ClusterView.Difference> differences(UUID instance, Serving want, Serving serving) {
        List<ClusterView.Difference> out = new ArrayList<>();
        if (want.ruleSet() != null && !want.ruleSet().equals(serving.ruleSet())) {
            out.add(new ClusterView.Difference(instance, "ruleSet", "rules", want.ruleSet(),
                    Objects.requireNonNullElse(serving.ruleSet(), "none loaded")));
        }
        want.agents().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(wanted -> {
            AgentServing has = serving.agents().get(wanted.getKey());
            if (has == null || !has.deploymentId().equals(wanted.getValue().deploymentId())
                    || has.paused() != wanted.getValue().paused()) {
                out.add(new ClusterView.Difference(instance, "agent", wanted.getKey().toString(),
                        wanted.getValue().describe(), has == null ? "not served" : has.describe()));
            }
        });
        serving.agents().entrySet().stream().filter(e -> !want.agents().containsKey(e.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(extra -> out.add(new ClusterView.Difference(instance, "agent", extra.getKey().toString(),
                        "not deployed", extra.getValue().describe())));
        want.customRules().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(wanted -> {
            long has = serving.customRules().getOrDefault(wanted.getKey(), 0L);
            if (has != wanted.getValue()) {
                out.add(new ClusterView.Difference(instance, "customRules", wanted.getKey().toString(),
                        "version " + wanted.getValue(), has == 0 ? "not loaded" : "version " + has));
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
