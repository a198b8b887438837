-- Rule-set events (reloads, refusals) concern every organization: their audit entries have none.
alter table audit_log alter column organization_id drop not null;

-- Every validation of a stored blueprint: which version of the blueprint, under which rule set, with what result.
create table validation_runs (
    id                 uuid primary key default gen_random_uuid(),
    organization_id    uuid not null references organizations (id),
    blueprint_id       uuid not null references blueprints (id),
    blueprint_version  integer not null,
    rule_set_version   text not null,
    valid              boolean not null,
    risk_level         text not null,
    requires_approval  boolean not null,
    report             jsonb not null,
    requested_by       text not null,
    created_at         timestamptz not null default now()
);
create index validation_runs_blueprint on validation_runs (organization_id, blueprint_id, created_at desc);
