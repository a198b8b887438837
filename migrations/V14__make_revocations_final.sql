-- A revoked token stays revoked: not even the server's own role can clear revoked_at again (an
-- operator mints a new token instead). Only the owner, who can drop this trigger, could.
create function refuse_unrevoke() returns trigger language plpgsql as $$
begin
    if old.revoked_at is not null and new.revoked_at is distinct from old.revoked_at then
        raise exception 'api_tokens: a revoked token stays revoked' using errcode = 'insufficient_privilege';
    end if;
    return new;
end;
$$;
create trigger api_tokens_revocation_final
    before update on api_tokens
    for each row execute function refuse_unrevoke();
