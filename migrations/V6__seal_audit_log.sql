-- Tamper evidence: each audit entry is sealed into a hash chain per organization (system-wide
-- entries form their own chain). seal_seq orders the chain; prev_hash is the hash of the entry
-- before it; hash covers prev_hash and the entry's own content. Entries are sealed by the server
-- shortly after they commit (see AuditSealer).
alter table audit_log
    add column seal_seq   bigint,
    add column prev_hash  text,
    add column hash       text;
create index audit_log_unsealed on audit_log (organization_id, id) where hash is null;
create index audit_log_chain on audit_log (organization_id, seal_seq);

-- The only change ever allowed to an audit row: sealing it once. Anything else is refused.
create or replace function refuse_audit_change() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' and old.hash is null and new.hash is not null
       and new.id = old.id and new.organization_id is not distinct from old.organization_id
       and new.occurred_at = old.occurred_at and new.actor = old.actor and new.action = old.action
       and new.entity_type = old.entity_type and new.entity_id = old.entity_id
       and new.trace_id is not distinct from old.trace_id
       and new.before is not distinct from old.before and new.after is not distinct from old.after
       and new.rule_set_version is not distinct from old.rule_set_version
       and new.rules_fired is not distinct from old.rules_fired then
        return new;
    end if;
    raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;

drop trigger audit_log_append_only on audit_log;
create trigger audit_log_append_only
    before update or delete on audit_log
    for each row execute function refuse_audit_change();
