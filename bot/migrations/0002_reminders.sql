-- Reminders: the row is the truth; scheduler jobs are rebuilt from pending rows.
-- due_at is the occurrence waited for; fire_at is when to try next (later after a failed send).

CREATE TABLE reminders (
    id           INTEGER PRIMARY KEY,
    guild_id     TEXT NOT NULL,
    owner_id     TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('me', 'channel')),
    channel_id   TEXT NOT NULL,
    channel_name TEXT NOT NULL,
    text         TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 1000),
    due_at       TEXT NOT NULL,
    fire_at      TEXT NOT NULL,
    timezone     TEXT NOT NULL,
    recurrence   TEXT,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'delivered', 'done', 'cancelled', 'missed', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    delivered_at TEXT
);

CREATE INDEX reminders_pending ON reminders (fire_at) WHERE status = 'pending';
CREATE INDEX reminders_owner ON reminders (owner_id, status);
