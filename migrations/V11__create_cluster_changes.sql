-- Changes every server instance sharing the database must apply: a bundle activated, an agent
-- deployed, paused or stopped, an organization's custom rules changed, a token revoked. Each row is
-- announced with pg_notify when it commits; instances also poll for rows they have not seen, so a
-- missed notification is only late, never lost. Rows say WHAT changed; instances read the current
-- state from the tables that own it, so applying a change twice is harmless.
create table cluster_changes (
    id               bigserial primary key,
    kind             text not null,
    organization_id  uuid,
    subject          text not null,
    created_at       timestamptz not null default now()
);

-- Every running instance, its heartbeat and what it serves.
create table cluster_instances (
    id              uuid primary key,
    host            text not null,
    pid             bigint not null,
    address         text,
    started_at      timestamptz not null,
    last_seen       timestamptz not null,
    applied_change  bigint not null default 0,
    serving         jsonb not null default '{}'
);
