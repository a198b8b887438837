package dev.agentfactory.runtime;

import dev.agentfactory.rules.HistoryWindow;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.rules.model.RecentActions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The agent's recent history for the windows the loaded rules declare, read from the per-minute and
 * per-hour counts the database keeps with every decision (V21): one query for all of a proposal's
 * windows, over at most {@code hours + 60} rows per window and counted type, whatever the agent's traffic.
 * Counted are decisions executed, approved or waiting for approval.
 *
 * <p>A window starts at the beginning of the minute {@code hours} ago: it may count up to a minute
 * more than its length, never less.
 */
final class HistoryFacts {
    /** Decisions are counted from this far back when a type is first counted: the longest window and a day. */
    private static final int BACKFILL_HOURS = HistoryWindow.MAX_HOURS + 24;

    private final Jdbi jdbi;
    /** Types the database counts; a type once counted stays counted, so what is seen here stays true. */
    private final Set<String> counted = ConcurrentHashMap.newKeySet();

    HistoryFacts(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * In the decision's transaction: waits for the agent's other windowed decisions to commit and holds
     * them back until this one does, then reads, so each counts every earlier one (as the daily cap does):
     * 20 concurrent proposals see 0, 1, 2, ... 19. One round trip.
     */
    static List<RecentActions> lockAndRead(Handle handle, UUID organizationId, UUID agentId, ProposedAction action,
                                           List<HistoryWindow> windows) {
        return read(handle, organizationId, agentId, action, windows, true);
    }

    static List<RecentActions> read(Handle handle, UUID organizationId, UUID agentId, ProposedAction action,
                                    List<HistoryWindow> windows, boolean lock) {
        List<double[]> sums = handle.createQuery(
                        "select n, total from history_read(:organization, :agent, :contact, :pers, :types, :hours, :lock)")
                .bind("organization", organizationId).bind("agent", agentId).bind("contact", action.contactId())
                .bindArray("pers", String.class, windows.stream().map(HistoryWindow::per).toList())
                .bindArray("types", String.class, windows.stream().map(HistoryWindow::actionType).toList())
                .bindArray("hours", Integer.class, windows.stream().map(HistoryWindow::hours).toList())
                .bind("lock", lock)
                .map((rs, ctx) -> new double[] {rs.getLong("n"), rs.getDouble("total")}).list();
        List<RecentActions> facts = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            HistoryWindow w = windows.get(i);
            facts.add(new RecentActions(w.per(), w.actionType(), w.hours(), (long) sums.get(i)[0], sums.get(i)[1]));
        }
        return facts;
    }

    /**
     * Before the decision's transaction: the first time a window covers an action type (or {@code *}), the
     * database starts counting it
     * and counts its decisions of the last {@link #BACKFILL_HOURS} hours. The table lock waits for every
     * decision in flight that found the type not yet counted and holds back new ones until the counts
     * are written, so none is missed or counted twice. It happens once per type, ever.
     */
    void countFromNowOn(List<HistoryWindow> windows) {
        windows.forEach(w -> countFromNowOn(w.actionType()));
    }

    private void countFromNowOn(String actionType) {
        if (counted.contains(actionType) || counted.contains("*")) {
            return;
        }
        jdbi.useTransaction(handle -> {
            handle.execute("lock table history_counted_types in access exclusive mode");
            boolean already = handle.createQuery("""
                    select exists (select 1 from history_counted_types where action_type in (:type, '*'))
                    """).bind("type", actionType).mapTo(Boolean.class).one();
            if (!already) {
                handle.createUpdate("""
                        insert into history_counts as h (organization_id, agent_id, per, contact_id, action_type,
                                                         span_minutes, bucket, actions, amount)
                        select d.organization_id, d.agent_id, k.per, k.contact_id, d.action_type, k.span_minutes,
                               date_trunc(case k.span_minutes when 1 then 'minute' else 'hour' end, d.created_at, 'UTC'),
                               count(*), sum(history_amount(coalesce(d.approved_input, d.input)))
                          from decisions d
                         cross join lateral (values ('agent', '', 1), ('agent', '', 60),
                                                    ('contact', d.contact_id, 1), ('contact', d.contact_id, 60))
                               as k (per, contact_id, span_minutes)
                         where k.contact_id is not null
                           and d.created_at > now() - make_interval(hours => :hours)
                           and d.status in ('EXECUTE', 'APPROVED', 'PENDING_APPROVAL')
                           and (d.action_type = :type
                                or (:type = '*' and d.action_type not in (select action_type from history_counted_types)))
                         group by 1, 2, 3, 4, 5, 6, 7
                        on conflict (agent_id, per, contact_id, span_minutes, bucket, action_type)
                        do update set actions = h.actions + excluded.actions, amount = h.amount + excluded.amount
                        """).bind("type", actionType).bind("hours", BACKFILL_HOURS).execute();
                handle.createUpdate("insert into history_counted_types (action_type) values (:type)")
                        .bind("type", actionType).execute();
            }
        });
        counted.add(actionType);
    }

    /** Forgets counts older than any window reads (and the odd negative row an old decision's late outcome leaves). */
    void forgetOld() {
        jdbi.useHandle(handle -> handle.createUpdate(
                "delete from history_counts where bucket < now() - make_interval(hours => :hours)")
                .bind("hours", BACKFILL_HOURS).execute());
    }
}
