-- Every attempt to deploy, roll back or undeploy an agent, with its outcome and timings.
create table deployments (
    id                 uuid primary key default gen_random_uuid(),
    organization_id    uuid not null references organizations (id),
    agent_id           uuid not null references blueprints (id),
    blueprint_version  integer not null,
    kind               text not null,   -- deploy | rollback | undeploy
    outcome            text not null,   -- InProgress | Succeeded | Failed | Rejected
    requested_by       text not null,
    started_at         timestamptz not null default now(),
    finished_at        timestamptz,
    compile_ms         integer,
    deploy_ms          integer,
    template_version   text,
    rule_set_version   text,
    error              jsonb
);
create index deployments_agent on deployments (organization_id, agent_id, started_at desc);
create index deployments_in_progress on deployments (agent_id) where outcome = 'InProgress';

-- Which agents an event activated.
create table activations (
    id               bigserial primary key,
    organization_id  uuid not null references organizations (id),
    event_id         uuid not null,
    agent_id         uuid not null references blueprints (id),
    deployment_id    uuid not null references deployments (id),
    event_type       text not null,
    contact_id       text,
    intent           text,
    reason           text not null,
    trace_id         text,
    created_at       timestamptz not null default now()
);
create index activations_agent on activations (organization_id, agent_id, created_at desc);
