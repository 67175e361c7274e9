-- The audit log of moderators' and admins' actions, and the transcript opt-out.

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    guild_id   TEXT NOT NULL,
    actor_id   TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    action     TEXT NOT NULL,  -- the command's path, e.g. "group archive"
    details    TEXT NOT NULL,  -- its options as "name:value" text, people by name
    at         TEXT NOT NULL
);
CREATE INDEX audit_log_guild ON audit_log (guild_id, at);

ALTER TABLE user_prefs ADD COLUMN transcripts_optout INTEGER NOT NULL DEFAULT 0;
