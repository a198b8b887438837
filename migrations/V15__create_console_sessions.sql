-- Console sessions: a person signs in with a token and gets a cookie. Only SHA-256 hashes of the
-- session id and of its CSRF token are stored, so the table cannot be replayed into a sign-in.
-- A session lives no longer than its token: revoking the token ends it (the join in every look-up).
create table console_sessions (
    id_hash        text primary key,
    csrf_hash      text not null,
    token_id       uuid not null references api_tokens (id),
    created_at     timestamptz not null default now(),
    last_seen_at   timestamptz not null default now(),
    expires_at     timestamptz not null,
    ended_at       timestamptz
);
create index console_sessions_token on console_sessions (token_id);
create index console_sessions_expiry on console_sessions (expires_at);
