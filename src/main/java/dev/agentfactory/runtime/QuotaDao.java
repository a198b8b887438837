package dev.agentfactory.runtime;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Atomic claims on an agent's constraints. Each statement either takes the slot or returns
 * nothing: concurrent proposals serialize on the row, so none slips past the cap.
 */
public interface QuotaDao {

    /** One more action today (UTC), if fewer than {@code cap} were taken; the new count, or empty. */
    @SqlQuery("""
            insert into agent_daily_usage as u (agent_id, day, count)
            values (:agentId, (now() at time zone 'utc')::date, 1)
            on conflict (agent_id, day) do update set count = u.count + 1 where u.count < :cap
            returning count
            """)
    Optional<Integer> takeDaily(@Bind("agentId") UUID agentId, @Bind("cap") long cap);

    /** The contact's cooldown for this action type, if the last one is at least {@code seconds} old. */
    @SqlQuery("""
            insert into action_cooldowns as c (agent_id, contact_id, action_type, last_at)
            values (:agentId, :contactId, :actionType, now())
            on conflict (agent_id, contact_id, action_type) do update set last_at = now()
             where c.last_at <= now() - make_interval(secs => :seconds)
            returning 1
            """)
    Optional<Integer> takeCooldown(@Bind("agentId") UUID agentId, @Bind("contactId") String contactId,
                                   @Bind("actionType") String actionType, @Bind("seconds") long seconds);

    @SqlQuery("select coalesce((select count from agent_daily_usage where agent_id = :agentId"
            + " and day = (now() at time zone 'utc')::date), 0)")
    int usedToday(@Bind("agentId") UUID agentId);
}
