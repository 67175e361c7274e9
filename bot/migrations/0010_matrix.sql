-- What the Matrix front end must remember across restarts (the core never reads it).

-- Small values: the sync token (so old events are not answered again), the access token.
CREATE TABLE matrix_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The direct room the bot talks to each person in.
CREATE TABLE matrix_dm_rooms (
    user_id TEXT PRIMARY KEY,  -- "matrix:@anna:example.org"
    room_id TEXT NOT NULL
);

-- Buttons shown as reactions: which reaction on which message presses which button.
CREATE TABLE matrix_reactions (
    event_id  TEXT NOT NULL,
    key       TEXT NOT NULL,
    custom_id TEXT NOT NULL,
    PRIMARY KEY (event_id, key)
);
