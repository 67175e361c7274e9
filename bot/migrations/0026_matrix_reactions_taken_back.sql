-- Reactions that act both ways, and the reactions on the bot's messages.
--
-- A reaction may press a button when it is added (custom_id) and another when it is taken
-- back (undo_custom_id): a sign-up sheet's 1️⃣ signs up for its first slot, taking the 1️⃣
-- back signs out. Either may be missing (a closed sheet only signs out).
CREATE TABLE matrix_reactions_new (
    room_id        TEXT NOT NULL,
    event_id       TEXT NOT NULL,
    key            TEXT NOT NULL,  -- without variation selectors, as clients differ
    emoji          TEXT NOT NULL,  -- as the bot reacted with it
    custom_id      TEXT,
    undo_custom_id TEXT,
    PRIMARY KEY (event_id, key)
);
INSERT INTO matrix_reactions_new (room_id, event_id, key, emoji, custom_id)
    SELECT room_id, event_id, key, key, custom_id FROM matrix_reactions;
DROP TABLE matrix_reactions;
ALTER TABLE matrix_reactions_new RENAME TO matrix_reactions;

-- Who reacted with what on the bot's messages (the bot's own reactions too): a redaction
-- names only the reaction's event, and the bot takes its own reaction off once people
-- use that one, and an earlier answer off when a person gives another.
CREATE TABLE matrix_reacted (
    reaction_id TEXT PRIMARY KEY,
    room_id     TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    key         TEXT NOT NULL,  -- as matrix_reactions.key
    user_id     TEXT NOT NULL   -- who reacted: "matrix:@anna:example.org"
);
CREATE INDEX matrix_reacted_message ON matrix_reacted (message_id, key);
