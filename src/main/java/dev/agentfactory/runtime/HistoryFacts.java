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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger log = LoggerFactory.getLogger(HistoryFacts.class);
    /**
     * Decisions are counted from this far back when a type is first counted: the longest window and a day
     * (V21 uses the same 768 hours for the shipped rules' types).
     */
    private static final int BACKFILL_HOURS = HistoryWindow.MAX_HOURS + 24;

    private final Jdbi jdbi;
    /** Types the database counts; a type once counted stays counted, so what is seen here stays true. */
    private final Set<String> counted = ConcurrentHashMap.newKeySet();

    HistoryFacts(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Waits for the agent's other windowed decisions (and changes to what its windows count) to commit
     * and holds them back until this transaction ends. Taken first in a transaction, before any other
     * lock the decision path takes (constraint slots, grants), so that nothing waits for it in the
     * other order.
     */
    static void lock(Handle handle, UUID agentId) {
        handle.createQuery("select lock_agent_history(:agent)").bind("agent", agentId).mapTo(String.class).one();
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
        boolean countedBefore = jdbi.withHandle(handle -> handle.createQuery(
                "select exists (select 1 from history_counted_types where action_type in (:type, '*'))")
                .bind("type", actionType).mapTo(Boolean.class).one());
        if (countedBefore) { // another instance, an earlier run or the upgrade counted it: no lock needed
            counted.add(actionType);
            return;
        }
        long started = System.nanoTime();
        long written = jdbi.inTransaction(handle -> {
            handle.execute("lock table history_counted_types in access exclusive mode");
            boolean already = handle.createQuery("""
                    select exists (select 1 from history_counted_types where action_type in (:type, '*'))
                    """).bind("type", actionType).mapTo(Boolean.class).one();
            if (already) {
                return -1L;
            }
            long rows = handle.createQuery("select count_earlier_history(:type, :hours)").bind("type", actionType)
                    .bind("hours", BACKFILL_HOURS).mapTo(Long.class).one();
            handle.createUpdate("insert into history_counted_types (action_type) values (:type)")
                    .bind("type", actionType).execute();
            return rows;
        });
        if (written >= 0) {
            log.info("history windows: {} is counted from now on; its decisions of the last {} hours made {} count rows"
                    + " in {} ms, while decisions waited", actionType, BACKFILL_HOURS, written,
                    (System.nanoTime() - started) / 1_000_000);
        }
        counted.add(actionType);
    }

    /** Forgets counts older than any window reads (and the odd negative row an old decision's late outcome leaves). */
    void forgetOld() {
        jdbi.useHandle(handle -> handle.createUpdate(
                "delete from history_counts where bucket < now() - make_interval(hours => :hours)")
                .bind("hours", BACKFILL_HOURS).execute());
    }
}
