-- The transactional outbox (bot/outbox.py): what must be said because of a committed change
-- (a seat offered, a join request, an event changed, a certificate) is written in the same
-- transaction as the change and sent after the commit, so a crash between the two loses
-- nothing: whatever is still pending is sent at the next start.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL,
    guild_id        TEXT NOT NULL,
    -- A direct message to user_id, or a post in channel_id.
    user_id         TEXT,
    channel_id      TEXT,
    -- The person the message is about when it is not its reader (a join request).
    about_id        TEXT,
    -- JSON: what the message is worded from when it is sent, in its reader's language.
    payload         TEXT NOT NULL DEFAULT '{}',
    -- Sent with the message where the platform dedupes by it (Discord's nonce, Matrix's
    -- transaction id), so a message sent again after a crash is not shown twice.
    nonce           TEXT NOT NULL DEFAULT (lower(hex(randomblob(6)))),
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    -- sending: an attempt began and has no outcome yet (after a crash: perhaps sent).
    status          TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'fallback', 'failed', 'dropped')),
    done_at         TEXT,
    CHECK ((user_id IS NULL) != (channel_id IS NULL))
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_done ON outbox (done_at) WHERE done_at IS NOT NULL;
