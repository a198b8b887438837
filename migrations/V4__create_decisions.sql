-- Runtime governance: every decision on a proposed action, the constraints it used up, the
-- approvals it asked for, and idempotency keys so a retried request gets the first answer.

create table approvals (
    id                  uuid primary key default gen_random_uuid(),
    organization_id     uuid not null references organizations (id),
    kind                text not null,            -- ACTION | DEPLOYMENT
    agent_id            uuid not null references blueprints (id),
    decision_id         uuid,
    blueprint_version   integer,
    status              text not null,            -- pending | approved | rejected | expired
    required_approvals  integer not null check (required_approvals >= 1),
    approver_role       text not null default 'APPROVER',
    priority            integer not null default 0,
    risk_score          double precision not null default 0,
    summary             jsonb not null,
    reasons             jsonb not null,
    requested_by        text not null,
    created_at          timestamptz not null default now(),
    expires_at          timestamptz not null,
    decided_at          timestamptz
);
create index approvals_queue on approvals (organization_id, status, priority desc, risk_score desc, created_at);
create index approvals_expiry on approvals (expires_at) where status = 'pending';

-- The hottest table: no foreign keys, so an insert costs no lookups in four other tables (the
-- server writes these ids from the live agent it just evaluated).
create table decisions (
    id                 uuid primary key,
    organization_id    uuid not null,
    agent_id           uuid not null,
    deployment_id      uuid not null,
    blueprint_version  integer not null,
    rule_set_version   text not null,
    trace_id           text,
    request_id         text,
    action_type        text not null,
    scope              text not null,
    decision           text not null,             -- EXECUTE | REQUIRE_APPROVAL | REJECT
    status             text not null,             -- EXECUTE | PENDING_APPROVAL | APPROVED | REJECTED | EXPIRED
    risk_score         double precision not null,
    confidence         double precision not null,
    contact_id         text,
    reasons            jsonb not null,
    rules_fired        jsonb not null,
    input              jsonb not null,
    approval_id        uuid,
    latency_us         integer,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
create index decisions_agent on decisions (organization_id, agent_id, created_at desc);

-- maxDailyActions: one counter per agent per (UTC) day, incremented only while below the cap.
create table agent_daily_usage (
    agent_id  uuid not null,
    day       date not null,
    count     integer not null,
    primary key (agent_id, day)
);

-- cooldownPeriod: when an action of a type last went to a contact.
create table action_cooldowns (
    agent_id     uuid not null,
    contact_id   text not null,
    action_type  text not null,
    last_at      timestamptz not null,
    primary key (agent_id, contact_id, action_type)
);

create table idempotency_keys (
    agent_id      uuid not null,
    key           text not null,
    request_hash  text not null,
    response      jsonb not null,
    created_at    timestamptz not null default now(),
    primary key (agent_id, key)
);
