-- The pending-approval queue: routing, votes, escalation, and a transactional outbox for the
-- callbacks that tell agents the outcome.

alter table approvals
    add column escalation_role     text,
    add column escalation_seconds  bigint,
    add column escalated           boolean not null default false,
    add column rules_fired         jsonb not null default '[]',
    add column rule_set_version    text,
    add column callback_url        text,
    add column callback_secret     text,
    add column decided_by          text;

create table approval_votes (
    approval_id      uuid not null references approvals (id),
    organization_id  uuid not null,
    principal        text not null,
    vote             text not null,            -- approve | reject
    comment          text,
    created_at       timestamptz not null default now(),
    primary key (approval_id, principal)
);

-- A deployment's secret for signing its callbacks (shown once, in the deploy answer).
alter table deployments add column callback_secret text;

create table outbox (
    id               bigserial primary key,
    organization_id  uuid not null,
    agent_id         uuid not null,
    url              text not null,
    secret           text not null,
    event            text not null,
    payload          jsonb not null,
    attempts         integer not null default 0,
    next_attempt_at  timestamptz not null default now(),
    delivered_at     timestamptz,
    failed_at        timestamptz,
    last_error       text,
    created_at       timestamptz not null default now()
);
create index outbox_due on outbox (next_attempt_at) where delivered_at is null and failed_at is null;
