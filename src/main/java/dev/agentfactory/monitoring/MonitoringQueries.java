package dev.agentfactory.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.deployment.AgentRegistry;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.NotFoundException;
import dev.agentfactory.web.Paging;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What operators see about agents. Every number is computed from the stored decisions,
 * deployments, approvals and activations, so it is right after a restart and on every instance.
 */
public final class MonitoringQueries {
    private final Jdbi jdbi;
    private final AgentRegistry registry;

    public MonitoringQueries(Jdbi jdbi, AgentRegistry registry) {
        this.jdbi = jdbi;
        this.registry = registry;
    }

    public List<Map<String, Object>> agents(UUID organizationId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select b.id, b.name, b.status, d.blueprint_version as deployed_version,
                               d.finished_at as deployed_at,
                               (select count(*) from decisions x where x.agent_id = b.id
                                   and x.created_at >= date_trunc('day', now() at time zone 'utc') at time zone 'utc')
                                   as decisions_today,
                               (select count(*) from approvals a where a.agent_id = b.id and a.status = 'pending')
                                   as pending_approvals,
                               (select json_build_object('at', f.started_at, 'outcome', f.outcome, 'error', f.error)::text
                                  from deployments f where f.agent_id = b.id and f.outcome in ('Failed', 'Rejected')
                                 order by f.started_at desc limit 1) as last_error
                          from blueprints b left join deployments d on d.id = b.deployment_id
                         where b.organization_id = :organizationId and b.status <> 'Deprecated'
                         order by b.name, b.id
                        """).bind("organizationId", organizationId).mapToMap().list().stream()
                .map(row -> {
                    UUID id = (UUID) row.get("id");
                    String status = (String) row.get("status");
                    Map<String, Object> agent = new LinkedHashMap<>();
                    agent.put("agentId", id);
                    agent.put("name", row.get("name"));
                    agent.put("status", status);
                    agent.put("deployedVersion", row.get("deployed_version"));
                    agent.put("deployedAt", instant(row.get("deployed_at")));
                    agent.put("health", health(id, status));
                    agent.put("decisionsToday", row.get("decisions_today"));
                    agent.put("pendingApprovals", row.get("pending_approvals"));
                    agent.put("lastError", row.get("last_error") == null ? null
                            : Json.read((String) row.get("last_error"), JsonNode.class));
                    return agent;
                }).toList());
    }

    /** healthy: live and compiled here; paused; not loaded: should run but is not compiled; failed; not deployed. */
    private String health(UUID agentId, String status) {
        return switch (status) {
            case "Active" -> registry.find(agentId).isPresent() ? "healthy" : "not loaded";
            case "Paused" -> "paused";
            case "Failed" -> "failed";
            default -> "not deployed";
        };
    }

    public Map<String, Object> metrics(UUID organizationId, UUID agentId, Instant from, Instant to, String granularity) {
        return jdbi.withHandle(handle -> {
            requireAgent(handle, organizationId, agentId);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("agentId", agentId);
            metrics.put("from", from);
            metrics.put("to", to);
            metrics.put("granularity", granularity);
            String window = " from decisions where organization_id = :org and agent_id = :agent"
                    + " and created_at >= :from and created_at < :to";
            metrics.put("decisions", counts(handle, "select decision as key, count(*) as n" + window
                    + " group by decision", organizationId, agentId, from, to));
            metrics.put("byActionType", counts(handle, "select action_type as key, count(*) as n" + window
                    + " group by action_type", organizationId, agentId, from, to));
            metrics.put("byScope", counts(handle, "select scope as key, count(*) as n" + window + " group by scope",
                    organizationId, agentId, from, to));
            Map<String, Object> latency = handle.createQuery("""
                    select count(latency_us) as n,
                           percentile_cont(0.5) within group (order by latency_us) as p50,
                           percentile_cont(0.95) within group (order by latency_us) as p95,
                           percentile_cont(0.99) within group (order by latency_us) as p99
                    """ + window).bind("org", organizationId).bind("agent", agentId).bind("from", from)
                    .bind("to", to).mapToMap().one();
            // null percentiles when there were no decisions: Map.of would refuse them (a 500)
            Map<String, Object> percentiles = new LinkedHashMap<>();
            percentiles.put("p50", number(latency.get("p50")));
            percentiles.put("p95", number(latency.get("p95")));
            percentiles.put("p99", number(latency.get("p99")));
            metrics.put("decisionLatencyMicros", percentiles);
            Map<String, Object> approvals = new LinkedHashMap<>(counts(handle, """
                    select status as key, count(*) as n from approvals
                     where organization_id = :org and agent_id = :agent and created_at >= :from and created_at < :to
                     group by status
                    """, organizationId, agentId, from, to));
            Object median = handle.createQuery("""
                    select percentile_cont(0.5) within group (order by extract(epoch from decided_at - created_at))
                      from approvals
                     where organization_id = :org and agent_id = :agent and created_at >= :from and created_at < :to
                       and status in ('approved', 'rejected')
                    """).bind("org", organizationId).bind("agent", agentId).bind("from", from).bind("to", to)
                    .mapTo(Double.class).findOne().orElse(null);
            approvals.put("medianSecondsToDecide", median);
            metrics.put("approvals", approvals);
            metrics.put("activations", handle.createQuery("""
                    select count(*) from activations
                     where organization_id = :org and agent_id = :agent and created_at >= :from and created_at < :to
                    """).bind("org", organizationId).bind("agent", agentId).bind("from", from).bind("to", to)
                    .mapTo(Long.class).one());
            metrics.put("series", handle.createQuery("""
                    select date_trunc(:granularity, created_at, 'UTC') as bucket, decision, count(*) as n
                    """ + window + " group by 1, 2 order by 1, 2").bind("granularity", granularity)
                    .bind("org", organizationId).bind("agent", agentId).bind("from", from).bind("to", to)
                    .mapToMap().list().stream()
                    .map(row -> Map.of("bucket", instant(row.get("bucket")), "decision", row.get("decision"),
                            "count", row.get("n"))).toList());
            return metrics;
        });
    }

    /** Newest first: decisions, deployments, approvals, activations, and rule or template reloads (with errors). */
    public Paging.Page<Map<String, Object>> logs(UUID organizationId, UUID agentId, Paging paging) {
        String union = """
                select created_at as at, 'decision' as kind, 'info' as level, request_id as trace_id,
                       json_build_object('decisionId', id, 'actionType', action_type, 'decision', decision,
                                         'status', status, 'riskScore', risk_score, 'agentTraceId', trace_id,
                                         'ruleSetVersion', rule_set_version, 'agentVersion', blueprint_version)::text
                       as detail
                  from decisions where organization_id = :org and agent_id = :agent
                union all
                select started_at, 'deployment', case when outcome in ('Failed', 'Rejected') then 'error' else 'info' end,
                       null, json_build_object('deploymentId', id, 'kind', kind, 'outcome', outcome,
                                               'blueprintVersion', blueprint_version, 'requestedBy', requested_by,
                                               'deployMs', deploy_ms, 'error', error)::text
                  from deployments where organization_id = :org and agent_id = :agent
                union all
                select created_at, 'approval', 'info', null,
                       json_build_object('approvalId', id, 'kind', kind, 'status', status, 'decidedBy', decided_by,
                                         'decidedAt', decided_at)::text
                  from approvals where organization_id = :org and agent_id = :agent
                union all
                select created_at, 'activation', 'info', trace_id,
                       json_build_object('eventType', event_type, 'contactId', contact_id, 'reason', reason)::text
                  from activations where organization_id = :org and agent_id = :agent
                union all
                select occurred_at, 'reload', case when action like '%.refused' then 'error' else 'info' end, trace_id,
                       json_build_object('action', action, 'version', entity_id, 'after', after)::text
                  from audit_log where organization_id is null
                   and (action like 'rules.%' or action like 'templates.%')
                """;
        return jdbi.withHandle(handle -> {
            requireAgent(handle, organizationId, agentId);
            List<Map<String, Object>> items = handle.createQuery("select * from (" + union
                            + ") l order by at desc limit :limit offset :offset")
                    .bind("org", organizationId).bind("agent", agentId).bind("limit", paging.limit())
                    .bind("offset", paging.offset()).mapToMap().list().stream()
                    .map(row -> {
                        Map<String, Object> item = new LinkedHashMap<>();
                        item.put("at", instant(row.get("at")));
                        item.put("kind", row.get("kind"));
                        item.put("level", row.get("level"));
                        item.put("traceId", row.get("trace_id"));
                        item.put("detail", Json.read((String) row.get("detail"), JsonNode.class));
                        return item;
                    }).toList();
            long total = handle.createQuery("select count(*) from (" + union + ") l").bind("org", organizationId)
                    .bind("agent", agentId).mapTo(Long.class).one();
            return paging.of(items, total);
        });
    }

    private static void requireAgent(Handle handle, UUID organizationId, UUID agentId) {
        boolean exists = handle.createQuery("select exists (select 1 from blueprints where id = :id and organization_id = :org)")
                .bind("id", agentId).bind("org", organizationId).mapTo(Boolean.class).one();
        if (!exists) {
            throw new NotFoundException("agent " + agentId);
        }
    }

    private static Map<String, Object> counts(Handle handle, String sql, UUID organizationId, UUID agentId,
                                              Instant from, Instant to) {
        Map<String, Object> counts = new LinkedHashMap<>();
        handle.createQuery(sql).bind("org", organizationId).bind("agent", agentId).bind("from", from).bind("to", to)
                .mapToMap().forEach(row -> counts.put((String) row.get("key"), row.get("n")));
        return counts;
    }

    private static Object number(Object value) {
        return value == null ? null : Math.round(((Number) value).doubleValue());
    }

    private static Instant instant(Object value) {
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime time) {
            return time.toInstant();
        }
        return (Instant) value;
    }
}
