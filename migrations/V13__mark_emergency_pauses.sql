-- An agent paused by an emergency stop carries the stop's id (the audit entries of that stop carry
-- it too), so lifting the stop resumes exactly the agents it paused: an agent someone paused by
-- hand stays paused. Any other run-state change clears it.
alter table blueprints add column paused_by_stop uuid;
create index blueprints_paused_by_stop on blueprints (organization_id) where paused_by_stop is not null;
