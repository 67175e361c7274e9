-- The welcome: who was greeted in which server (once per person), and each server's
-- "Start here" message (where it is, so setting it again edits it instead of posting twice).
CREATE TABLE welcome_greeted (
    guild_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    greeted_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

CREATE TABLE welcome_posts (
    guild_id TEXT PRIMARY KEY,
    channel_id TEXT NOT NULL,
    channel_name TEXT NOT NULL,
    message_id TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
