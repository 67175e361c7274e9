-- Date polls and quick polls. The rows are the truth; the closing job is rebuilt from them.
-- A quick poll made on a platform with native polls (Discord) is counted by the platform;
-- the core then only records it and closes it on time.

CREATE TABLE polls (
    id                 INTEGER PRIMARY KEY,
    guild_id           TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('dates', 'quick')),
    question           TEXT NOT NULL CHECK (length(question) BETWEEN 1 AND 300),
    channel_id         TEXT NOT NULL,
    channel_name       TEXT NOT NULL,
    platform           TEXT NOT NULL,
    message_channel_id TEXT,
    message_id         TEXT,
    closes_at          TEXT,
    status             TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_by         TEXT NOT NULL,
    created_at         TEXT NOT NULL
);
CREATE INDEX polls_guild ON polls (guild_id, status);
CREATE INDEX polls_closing ON polls (closes_at) WHERE status = 'open' AND closes_at IS NOT NULL;

CREATE TABLE poll_options (
    poll_id   INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    number    INTEGER NOT NULL CHECK (number BETWEEN 1 AND 10),
    label     TEXT NOT NULL DEFAULT '',
    starts_at TEXT,  -- the candidate time of a date poll
    PRIMARY KEY (poll_id, number)
);

CREATE TABLE poll_votes (
    poll_id  INTEGER NOT NULL,
    number   INTEGER NOT NULL,
    user_id  TEXT NOT NULL,
    answer   TEXT NOT NULL CHECK (answer IN ('yes', 'maybe', 'no')),
    voted_at TEXT NOT NULL,
    PRIMARY KEY (poll_id, number, user_id),
    FOREIGN KEY (poll_id, number) REFERENCES poll_options (poll_id, number) ON DELETE CASCADE
);
CREATE INDEX poll_votes_user ON poll_votes (poll_id, user_id);
