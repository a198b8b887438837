-- Issue 17, edit then approve: an approve vote may carry the payload the approver changed the action to
-- (re-checked by the live rules first). The latest edit among the approve votes is what is approved.
alter table approval_votes add column payload jsonb;
