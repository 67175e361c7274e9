-- Matrix events the bot has taken on: each is handled at most once, even when a crash
-- makes the homeserver send a batch again.
CREATE TABLE matrix_handled (
    event_id TEXT PRIMARY KEY,
    at       TEXT NOT NULL
);
CREATE INDEX matrix_handled_at ON matrix_handled (at);

-- A reaction presses a button only in the room of the message it was offered on.
ALTER TABLE matrix_reactions ADD COLUMN room_id TEXT NOT NULL DEFAULT '';
