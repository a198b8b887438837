-- What a decision depended on besides its input and the two versions, so that replay and explain can
-- take it as it was instead of re-deciding it: {"paused": true}, the LLM's verdict, the constraint the
-- database refused (DAILY | COOLDOWN). Null when none of these applied: the common case costs nothing.
alter table decisions add column recorded jsonb;
