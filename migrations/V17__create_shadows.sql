-- Shadow mode: a candidate (a stored policy bundle, or one agent's other blueprint version) decides beside
-- the live policy on live traffic, off the request path. Each shadow outcome is stored beside the live
-- decision it shadows; evaluations the bounded queue could not take are counted in skipped.
create table shadows (
    id               uuid primary key,
    organization_id  uuid not null references organizations (id),
    bundle_version   text references policy_bundles (version),   -- null: the serving bundle
    agent_id         uuid references blueprints (id),            -- null: every agent
    agent_version    integer,                                     -- null: each agent's deployed version
    status           text not null,                               -- running | promoted | dropped
    skipped          bigint not null default 0,
    started_by       text not null,
    started_at       timestamptz not null default now(),
    ended_by         text,
    ended_at         timestamptz,
    check (bundle_version is not null or agent_version is not null),
    check (agent_version is null or agent_id is not null)
);
create index shadows_running on shadows (organization_id) where status = 'running';

create table shadow_decisions (
    shadow_id        uuid not null references shadows (id),
    decision_id      uuid not null,
    organization_id  uuid not null,
    agent_id         uuid not null,
    action_type      text not null,
    live_decision    text not null,
    shadow_decision  text not null,
    live_rules       jsonb not null,
    shadow_rules     jsonb not null,
    shadow_reasons   jsonb not null,
    created_at       timestamptz not null default now(),
    primary key (shadow_id, decision_id)
);
create index shadow_decisions_differences on shadow_decisions (shadow_id, created_at desc)
    where live_decision <> shadow_decision;
