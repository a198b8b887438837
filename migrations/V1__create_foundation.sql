-- Organizations, bearer tokens, blueprints with immutable versions, and the append-only audit log.

create table organizations (
    id          uuid primary key default gen_random_uuid(),
    name        text not null unique,
    created_at  timestamptz not null default now()
);

create table api_tokens (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null references organizations (id),
    principal        text not null,
    roles            text[] not null check (cardinality(roles) > 0),
    agent_id         uuid,
    token_hash       text not null unique,
    bootstrap        boolean not null default false,
    created_at       timestamptz not null default now(),
    created_by       text not null,
    revoked_at       timestamptz,
    revoked_by       text
);
create index api_tokens_organization on api_tokens (organization_id, created_at desc);

create table blueprints (
    id                uuid primary key,
    organization_id   uuid not null references organizations (id),
    name              text not null,
    status            text not null,
    version           integer not null check (version >= 1),
    industry_profile  text not null,
    spec              jsonb not null,
    created_by        text not null,
    created_at        timestamptz not null default now(),
    last_modified     timestamptz,
    modified_by       text,
    deployment_id     uuid
);
create index blueprints_listing on blueprints (organization_id, created_at desc, id);
create index blueprints_status on blueprints (organization_id, status);
create index blueprints_created_by on blueprints (organization_id, created_by);

create table blueprint_versions (
    blueprint_id     uuid not null references blueprints (id),
    version          integer not null,
    organization_id  uuid not null references organizations (id),
    snapshot         jsonb not null,
    created_at       timestamptz not null default now(),
    created_by       text not null,
    primary key (blueprint_id, version)
);

create table audit_log (
    id                bigserial primary key,
    organization_id   uuid not null,
    occurred_at       timestamptz not null default clock_timestamp(),
    actor             text not null,
    action            text not null,
    entity_type       text not null,
    entity_id         text not null,
    trace_id          text,
    before            jsonb,
    after             jsonb,
    rule_set_version  text,
    rules_fired       jsonb
);
create index audit_log_organization on audit_log (organization_id, id desc);
create index audit_log_entity on audit_log (organization_id, entity_id, id desc);
create index audit_log_time on audit_log (organization_id, occurred_at);

-- History is never rewritten: the database refuses it whoever asks through the application.
create function refuse_change() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only: % refused', tg_table_name, tg_op
        using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_log_append_only
    before update or delete on audit_log
    for each row execute function refuse_change();
create trigger audit_log_no_truncate
    before truncate on audit_log
    for each statement execute function refuse_change();

create trigger blueprint_versions_immutable
    before update or delete on blueprint_versions
    for each row execute function refuse_change();
create trigger blueprint_versions_no_truncate
    before truncate on blueprint_versions
    for each statement execute function refuse_change();
