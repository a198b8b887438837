-- Issue 17: an approved action is bound to the exact arguments it was approved with, good once and until
-- an expiry; agents report what they executed and every report is kept (a violation is a report that
-- does not match, comes twice, comes late or reports an action that was never cleared).

-- The arguments an approver approved, when they differ from the proposal (edit, then approve), and
-- until when an approved action may be executed. Both stay null on the decision path's insert.
alter table decisions add column approved_input jsonb, add column approved_until timestamptz;

create table execution_reports (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null,
    agent_id         uuid not null,
    decision_id      uuid not null references decisions (id),
    reported_by      text not null,
    arguments        jsonb not null,
    reported_digest  text not null,
    expected_digest  text,
    outcome          text not null check (outcome in ('match', 'mismatch', 'repeat', 'expired', 'not_cleared')),
    created_at       timestamptz not null default now()
);
-- good for one execution: at most one matching report per decision, whatever the concurrency
create unique index execution_reports_once on execution_reports (decision_id) where outcome = 'match';
create index execution_reports_decision on execution_reports (decision_id, created_at);
create index execution_reports_violations on execution_reports (organization_id, agent_id, created_at desc)
    where outcome <> 'match';
