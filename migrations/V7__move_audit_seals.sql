-- Seals move out of audit_log into their own insert-only table. Sealing used to UPDATE each
-- audit row: a second ~1 KB row version, five more index entries and a dead tuple to vacuum per
-- entry, which cost the decision path ~15% of its throughput. Now audit_log is strictly
-- append-only again; a trigger queues each new entry in audit_unsealed, and the sealer moves it
-- from there into audit_seals.

-- chain: the organization whose hash chain the entry is in; null for the system-wide chain.
create table audit_seals (
    audit_id   bigint primary key references audit_log (id),
    chain      uuid,
    seal_seq   bigint not null,
    prev_hash  text   not null,
    hash       text   not null
);
create unique index audit_seals_chain on audit_seals (chain, seal_seq) nulls not distinct;

create table audit_unsealed (
    audit_id  bigint primary key,
    chain     uuid
);

insert into audit_seals (audit_id, chain, seal_seq, prev_hash, hash)
select id, organization_id, seal_seq, prev_hash, hash from audit_log where hash is not null;
insert into audit_unsealed (audit_id, chain)
select id, organization_id from audit_log where hash is null;

create function queue_audit_seal() returns trigger language plpgsql as $$
begin
    insert into audit_unsealed (audit_id, chain) values (new.id, new.organization_id);
    return null;
end;
$$;
create trigger audit_log_queue_seal
    after insert on audit_log
    for each row execute function queue_audit_seal();

-- No change to an audit row or a seal is allowed any more, sealing included.
drop trigger audit_log_append_only on audit_log;
create trigger audit_log_append_only
    before update or delete on audit_log
    for each row execute function refuse_change();
drop function refuse_audit_change();
create trigger audit_seals_append_only
    before update or delete on audit_seals
    for each row execute function refuse_change();
create trigger audit_seals_no_truncate
    before truncate on audit_seals
    for each statement execute function refuse_change();

drop index audit_log_unsealed;
drop index audit_log_chain;
alter table audit_log drop column seal_seq, drop column prev_hash, drop column hash;
