-- Policy bundles: the whole rules folder (shared DRL with the catalog, agent templates, rule tests)
-- as one immutable, content-addressed version. version is a hash of every path and text, so a bundle
-- is stored once however often it is published, and the rules behind any decision that names it can
-- be fetched for as long as the database lives. Only bundles that passed the builder are stored.
create table policy_bundles (
    version       text primary key,
    published_at  timestamptz not null default now(),
    published_by  text not null,
    source        text not null,
    tests         jsonb not null
);

create table policy_bundle_files (
    version  text not null references policy_bundles (version),
    path     text not null,
    text     text not null,
    primary key (version, path)
);

-- Which bundle every instance serves: the latest activation. Rollback and roll forward are new rows.
create table policy_bundle_activations (
    id            bigserial primary key,
    version       text not null references policy_bundles (version),
    activated_by  text not null,
    activated_at  timestamptz not null default now(),
    reason        text not null
);
create index policy_bundle_activations_version on policy_bundle_activations (version, id desc);

create trigger policy_bundles_immutable
    before update or delete on policy_bundles
    for each row execute function refuse_change();
create trigger policy_bundles_no_truncate
    before truncate on policy_bundles
    for each statement execute function refuse_change();
create trigger policy_bundle_files_immutable
    before update or delete on policy_bundle_files
    for each row execute function refuse_change();
create trigger policy_bundle_files_no_truncate
    before truncate on policy_bundle_files
    for each statement execute function refuse_change();
create trigger policy_bundle_activations_append_only
    before update or delete on policy_bundle_activations
    for each row execute function refuse_change();
create trigger policy_bundle_activations_no_truncate
    before truncate on policy_bundle_activations
    for each statement execute function refuse_change();
