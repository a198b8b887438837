-- A keyed audit trail. The server MACs every entry when it writes it (entry_mac, HMAC-SHA256 with a
-- key the database never holds, see AuditKey) and seals the chain with the same key, so the database
-- owner can no longer rewrite an entry and re-seal it unseen. key_epoch says which key: the key's
-- fingerprint (an HMAC of a fixed label, not the key) is kept in audit_keys, one row per epoch, with
-- the row's own MAC; a new epoch starts only when an operator says so (the old key is lost).
-- token_id: the API token the change was made with, beside the principal.

alter table audit_log
    add column token_id   uuid,
    add column key_epoch  integer,
    add column entry_mac  text;

create table audit_keys (
    epoch           integer primary key,
    fingerprint     text not null,
    mac             text not null,
    started_at      timestamptz not null default now()
);
create trigger audit_keys_append_only
    before update or delete on audit_keys
    for each row execute function refuse_change();
create trigger audit_keys_no_truncate
    before truncate on audit_keys
    for each statement execute function refuse_change();

-- key_epoch null: a legacy seal, plain SHA-256 of prev_hash and the content (before V10).
-- entry_check: what the sealer found when it checked the entry against its entry_mac (the seal
-- covers it): verified; tampered (no match: changed behind the server's back, or no MAC at all);
-- earlier-key (waiting for its seal when a new key epoch began, with a MAC of the lost key).
alter table audit_seals
    add column key_epoch    integer,
    add column entry_check  text check (entry_check in ('verified', 'tampered', 'earlier-key')),
    add constraint audit_seals_keyed check ((key_epoch is null) = (entry_check is null));

-- Entries still waiting for their seal were written without a MAC: seal them here, the legacy way,
-- so that after this migration every entry the sealer meets must carry a MAC. The content string
-- and hash are exactly those of the legacy AuditChain (SHA-256 over prev_hash, chr(30), content).
do $$
declare
    pending     record;
    last_chain  uuid;
    first       boolean := true;
    seq         bigint;
    previous    text;
    sealed      text;
begin
    for pending in
        select u.audit_id, u.chain,
               concat_ws(chr(31), a.id::text, coalesce(a.organization_id::text, ''),
                         ((extract(epoch from a.occurred_at) * 1000000)::bigint)::text, a.actor, a.action,
                         a.entity_type, a.entity_id, coalesce(a.trace_id, ''), coalesce(a.before::text, ''),
                         coalesce(a.after::text, ''), coalesce(a.rule_set_version, ''),
                         coalesce(a.rules_fired::text, '')) as content
          from audit_unsealed u join audit_log a on a.id = u.audit_id
         order by u.chain nulls first, u.audit_id
    loop
        if first or pending.chain is distinct from last_chain then
            select s.seal_seq, s.hash into seq, previous from audit_seals s
             where (s.chain = pending.chain or (s.chain is null and pending.chain is null))
             order by s.seal_seq desc limit 1;
            seq := coalesce(seq, 0);
            previous := coalesce(previous, '');
            last_chain := pending.chain;
            first := false;
        end if;
        sealed := encode(sha256(convert_to(previous || chr(30) || pending.content, 'UTF8')), 'hex');
        seq := seq + 1;
        insert into audit_seals (audit_id, chain, seal_seq, prev_hash, hash)
        values (pending.audit_id, pending.chain, seq, previous, sealed);
        previous := sealed;
    end loop;
    delete from audit_unsealed u where exists (select 1 from audit_seals s where s.audit_id = u.audit_id);
end;
$$;
