package dev.agentfactory.runtime;

import dev.agentfactory.rules.HistoryWindow;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.rules.model.RecentActions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The agent's recent history for the windows the loaded rules declare: one query for all of them,
 * only for proposals a window covers. Counted are decisions executed, approved or waiting for approval.
 */
final class HistoryFacts {
    private HistoryFacts() {
    }

    /**
     * Serializes the windowed decisions of one agent until the transaction ends, so each counts every
     * earlier one (as the daily cap does): 20 concurrent proposals see 0, 1, 2, ... 19.
     */
    static void lock(Handle handle, UUID agentId) {
        handle.createQuery("select pg_advisory_xact_lock(hashtextextended(:key, 17))")
                .bind("key", "history:" + agentId).mapTo(String.class).one();
    }

    static List<RecentActions> read(Handle handle, UUID organizationId, UUID agentId, ProposedAction action,
                                    List<HistoryWindow> windows) {
        StringBuilder sql = new StringBuilder("select ");
        int maxHours = 1;
        for (int i = 0; i < windows.size(); i++) {
            HistoryWindow w = windows.get(i);
            maxHours = Math.max(maxHours, w.hours());
            String in = "created_at > now() - make_interval(hours => :h" + i + ")"
                    + (w.actionType().equals("*") ? "" : " and action_type = :t" + i)
                    + (w.per().equals("contact") ? " and contact_id = :contact" : "");
            sql.append(i == 0 ? "" : ", ").append("count(*) filter (where ").append(in).append(") as c").append(i)
                    .append(", coalesce(sum(amount) filter (where ").append(in).append("), 0) as a").append(i);
        }
        sql.append("""
                 from (select action_type, contact_id, created_at,
                              case when jsonb_typeof(input -> 'payload' -> 'amount') = 'number'
                                   then (input -> 'payload' ->> 'amount')::float8 end as amount
                         from decisions
                        where organization_id = :organizationId and agent_id = :agentId
                          and created_at > now() - make_interval(hours => :maxHours)
                          and status in ('EXECUTE', 'APPROVED', 'PENDING_APPROVAL')) d
                """);
        Query query = handle.createQuery(sql.toString()).bind("organizationId", organizationId)
                .bind("agentId", agentId).bind("maxHours", maxHours);
        if (windows.stream().anyMatch(w -> w.per().equals("contact"))) {
            query.bind("contact", action.contactId());
        }
        for (int i = 0; i < windows.size(); i++) {
            query.bind("h" + i, windows.get(i).hours());
            if (!windows.get(i).actionType().equals("*")) {
                query.bind("t" + i, windows.get(i).actionType());
            }
        }
        return query.map((rs, ctx) -> {
            List<RecentActions> facts = new ArrayList<>();
            for (int i = 0; i < windows.size(); i++) {
                HistoryWindow w = windows.get(i);
                facts.add(new RecentActions(w.per(), w.actionType(), w.hours(), rs.getLong("c" + i),
                        rs.getDouble("a" + i)));
            }
            return facts;
        }).one();
    }
}
