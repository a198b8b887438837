-- Issue 17, standing grants: an approver approves an action "and allows the same action type for this
-- contact (or this agent) for N hours, up to M times". The routing rules say per request how far a grant
-- may go (null: not at all); the deciding vote carries the terms; runtime owns the grants and uses them.
alter table approvals add column grant_limits jsonb;
alter table approval_votes add column grant_terms jsonb;

create table standing_grants (
    id               uuid primary key default gen_random_uuid(),
    organization_id  uuid not null,
    agent_id         uuid not null,
    action_type      text not null,
    scope            text not null check (scope in ('contact', 'agent')),
    contact_id       text,
    max_uses         integer not null check (max_uses > 0),
    uses             integer not null default 0 check (uses <= max_uses),
    expires_at       timestamptz not null,
    granted_by       text not null,
    approval_id      uuid not null,
    decision_id      uuid,
    created_at       timestamptz not null default now(),
    revoked_at       timestamptz,
    revoked_by       text,
    check ((scope = 'contact') = (contact_id is not null))
);
create index standing_grants_match on standing_grants (agent_id, action_type) where revoked_at is null;
create index standing_grants_organization on standing_grants (organization_id, created_at desc);
