-- The weekly digest (bot/digest): when each server has it, and who also gets it by DM.
-- `rule` is the weekly RRULE body read from the admin's phrase, at the wall-clock time in
-- `timezone` (the server's zone when it was set); `next_at` is when the next one is due
-- (UTC) and `last_week` the ISO week ('2026-W03') of the last one sent, so a restart or a
-- change of day never sends a week's digest twice.
CREATE TABLE digests (
    id         INTEGER PRIMARY KEY,
    guild_id   TEXT NOT NULL UNIQUE,
    rule       TEXT NOT NULL,
    timezone   TEXT NOT NULL,
    next_at    TEXT NOT NULL,
    last_week  TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX digests_due ON digests (next_at);

-- People who asked for the digest of a server by direct message (`/settings digest on`).
CREATE TABLE digest_readers (
    guild_id   TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
