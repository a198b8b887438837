-- Issue 17, history windows (@window) at the cost of a few rows: counts and amount sums of an agent's
-- decisions per minute and per hour, for the agent as a whole and per contact, so a 24-hour window sums
-- at most 24 hour rows and 60 minute rows instead of every decision in it.
--
-- The database keeps them, in the transaction that writes a decision (insert, an approval's outcome, an
-- approver's edit), so every write path keeps them exact. Only action types some loaded rule has ever
-- declared a window over are counted (history_counted_types); the server adds a type, and counts its
-- earlier decisions, the first time a window needs it.

create table history_counted_types (
    action_type  text primary key,             -- '*': every type
    since        timestamptz not null default now()
);

create table history_counts (
    organization_id  uuid not null,
    agent_id         uuid not null,
    per              text not null,            -- agent | contact
    contact_id       text not null,            -- '' on the agent's rows
    action_type      text not null,
    span_minutes     smallint not null,        -- 1 | 60
    bucket           timestamptz not null,     -- the (UTC) minute or hour the decisions were made in
    actions          bigint not null,
    amount           double precision not null,
    -- the type last: a window over every type (*) reads the same ranges as one over a single type
    primary key (agent_id, per, contact_id, span_minutes, bucket, action_type)
);
create index history_counts_age on history_counts (bucket);

-- What a decision adds to payment-style windows: the number payload.amount of what was approved (an
-- approver's edit) or else proposed; anything else (or a number beyond a double's range) adds nothing.
create function history_amount(action jsonb) returns double precision
    language sql immutable as $$
    select coalesce(case when jsonb_typeof(action -> 'payload' -> 'amount') = 'number'
                          and abs((action -> 'payload' ->> 'amount')::numeric) < 1e300
                         then (action -> 'payload' ->> 'amount')::double precision end, 0)
$$;

-- plpgsql, not sql: its insert is planned once per connection, not on every call
create function count_history(d decisions, direction integer, amount_of double precision) returns void
    language plpgsql as $$
begin
    insert into history_counts as h (organization_id, agent_id, per, contact_id, action_type, span_minutes,
                                     bucket, actions, amount)
    select d.organization_id, d.agent_id, k.per, k.contact_id, d.action_type, k.span_minutes,
           date_trunc(case k.span_minutes when 1 then 'minute' else 'hour' end, d.created_at, 'UTC'),
           direction, direction * amount_of
      from (values ('agent', '', 1), ('agent', '', 60), ('contact', d.contact_id, 1), ('contact', d.contact_id, 60))
           as k (per, contact_id, span_minutes)
     where k.contact_id is not null
    on conflict (agent_id, per, contact_id, span_minutes, bucket, action_type)
    do update set actions = h.actions + excluded.actions, amount = h.amount + excluded.amount;
end
$$;

-- Counted are decisions executed, approved or waiting for approval (as the windows have always read).
-- The server takes the agent's advisory lock before any write that changes what its windows read (a
-- windowed decision, an approval's outcome), so a window read under that lock sees every earlier one.
create function decisions_count_history() returns trigger
    language plpgsql as $$
declare
    was_counted boolean := tg_op = 'UPDATE' and old.status in ('EXECUTE', 'APPROVED', 'PENDING_APPROVAL');
    is_counted boolean := new.status in ('EXECUTE', 'APPROVED', 'PENDING_APPROVAL');
    amount_before double precision;
    amount_after double precision;
begin
    if not (was_counted or is_counted) then
        return null;
    end if;
    -- reading this table is what makes a type's registration wait for decisions in flight
    if not exists (select 1 from history_counted_types where action_type in (new.action_type, '*')) then
        return null;
    end if;
    if was_counted then
        amount_before := history_amount(coalesce(old.approved_input, old.input));
    end if;
    if is_counted then
        amount_after := history_amount(coalesce(new.approved_input, new.input));
    end if;
    if was_counted and is_counted and amount_before = amount_after then
        return null;
    end if;
    if was_counted then
        perform count_history(old, -1, amount_before);
    end if;
    if is_counted then
        perform count_history(new, 1, amount_after);
    end if;
    return null;
end
$$;

create trigger decisions_count_history after insert or update of status, approved_input on decisions
    for each row execute function decisions_count_history();

-- The agent's history lock, until the transaction ends: every write that changes what its windows read,
-- and every read a decision depends on, takes it first (the one place its key is spelled).
create function lock_agent_history(of_agent uuid) returns void
    language sql as $$
    select pg_advisory_xact_lock(hashtextextended('history:' || of_agent::text, 17))
$$;

-- What a proposal's windows read, window i being (pers[i], types[i] ('*': every type), window_hours[i]):
-- from the start of the minute window_hours ago, hour rows from the first whole hour on and minute rows
-- before it, so it may count up to a minute more than its length, never less. With take_lock it first
-- waits for the agent's other windowed decisions to commit; being volatile, its query then sees what
-- they wrote: the lock and the read are one round trip.
create function history_read(of_organization uuid, of_agent uuid, of_contact text, pers text[], types text[],
                             window_hours integer[], take_lock boolean)
    returns table (n bigint, total double precision)
    language plpgsql volatile as $$
declare
    reference timestamptz;
    since timestamptz;
    whole_hours timestamptz;
begin
    reference := now();
    if take_lock then
        perform lock_agent_history(of_agent);
        reference := clock_timestamp(); -- the windows end when the wait did, not when the transaction began
    end if;
    for i in 1 .. coalesce(array_length(pers, 1), 0) loop
        since := date_trunc('minute', reference - make_interval(hours => window_hours[i]), 'UTC');
        whole_hours := date_trunc('hour', since + interval '59 minutes', 'UTC');
        select coalesce(sum(h.actions), 0), coalesce(sum(h.amount), 0) into n, total
          from history_counts h
         where h.agent_id = of_agent and h.per = pers[i]
           and h.contact_id = case pers[i] when 'agent' then '' else of_contact end
           and ((h.span_minutes = 60 and h.bucket >= whole_hours)
                or (h.span_minutes = 1 and h.bucket >= since and h.bucket < whole_hours))
           and (types[i] = '*' or h.action_type = types[i])
           and h.organization_id = of_organization;
        return next;
    end loop;
end
$$;

-- Counts a type's (or, for '*', every type not yet counted) decisions of the last back_hours, when it
-- starts being counted; returns the count rows written. The caller holds history_counted_types locked.
create function count_earlier_history(of_type text, back_hours integer) returns bigint
    language plpgsql as $$
declare
    written bigint;
begin
    insert into history_counts as h (organization_id, agent_id, per, contact_id, action_type, span_minutes,
                                     bucket, actions, amount)
    select d.organization_id, d.agent_id, k.per, k.contact_id, d.action_type, k.span_minutes,
           date_trunc(case k.span_minutes when 1 then 'minute' else 'hour' end, d.created_at, 'UTC'),
           count(*), sum(history_amount(coalesce(d.approved_input, d.input)))
      from decisions d
     cross join lateral (values ('agent', '', 1), ('agent', '', 60), ('contact', d.contact_id, 1),
                                ('contact', d.contact_id, 60)) as k (per, contact_id, span_minutes)
     where k.contact_id is not null
       and d.created_at > now() - make_interval(hours => back_hours)
       and d.status in ('EXECUTE', 'APPROVED', 'PENDING_APPROVAL')
       and (d.action_type = of_type
            or (of_type = '*' and d.action_type not in (select action_type from history_counted_types)))
     group by 1, 2, 3, 4, 5, 6, 7
    on conflict (agent_id, per, contact_id, span_minutes, bucket, action_type)
    do update set actions = h.actions + excluded.actions, amount = h.amount + excluded.amount;
    get diagnostics written = row_count;
    return written;
end
$$;

-- The shipped rules' windows (rules/actions/history.drl) are counted from the upgrade on, and their
-- earlier decisions counted here, before a server decides anything: no proposal waits for that later.
-- 768 hours: the longest window and a day (HistoryFacts.BACKFILL_HOURS).
select count_earlier_history('SendEmail', 768), count_earlier_history('ProcessPayment', 768);
insert into history_counted_types (action_type) values ('SendEmail'), ('ProcessPayment');
