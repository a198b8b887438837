-- Custom rules: declarative rules an organization's compliance officers add over HTTP. They are
-- stored as data (JSON), rendered into the organization's own knowledge base, and apply only to
-- that organization's actions and blueprints.

create table custom_rules (
    id               uuid primary key,
    organization_id  uuid not null references organizations (id),
    rule_number      integer not null check (rule_number >= 1),   -- runs as CUS-<rule_number>, never reused
    name             text not null,
    applies_to       text not null check (applies_to in ('action', 'blueprint')),
    definition       jsonb not null,                              -- name, description, appliesTo, when, then, examples
    version          integer not null check (version >= 1),
    created_by       text not null,
    created_at       timestamptz not null,
    updated_by       text not null,
    updated_at       timestamptz not null,
    deleted_by       text,
    deleted_at       timestamptz,
    unique (organization_id, rule_number)
);
create unique index custom_rules_name on custom_rules (organization_id, name) where deleted_at is null;

-- One row per organization that ever had custom rules. Its version counts changes: every server
-- rebuilds an organization's rules when it sees a newer version, and locking the row puts the
-- changes of one organization in a line.
create table custom_rule_sets (
    organization_id  uuid primary key references organizations (id),
    version          bigint not null,
    updated_at       timestamptz not null default now()
);
