-- Separation of duties and principal namespaces.

-- Who the routing rules said may not vote on a request, and why: [{"ruleId", "principal", "reason"}].
-- (Who deployed the agent or holds its tokens is looked up when a vote comes in, not stored.)
alter table approvals add column excluded jsonb not null default '[]';

-- The vote-time look-up of the principals holding an agent's tokens.
create index api_tokens_agent on api_tokens (agent_id) where agent_id is not null;

-- People and agents live in separate namespaces: an AGENT token has exactly that role, one agent,
-- and a name 'agent:<name>'; nobody else's name contains ':'. NOT VALID: tokens minted before
-- this rule are renamed or revoked by the server at start-up (auth/LegacyTokens), audited;
-- revoked ones may keep their old form.
alter table api_tokens add constraint api_tokens_principal_namespace check (
    revoked_at is not null
    or (roles = array['AGENT'] and agent_id is not null and principal like 'agent:%')
    or (not 'AGENT' = any(roles) and agent_id is null and position(':' in principal) = 0)
) not valid;
