-- "Virtual pączek" panels: a moderated chat panel with a speaking queue, timed turns,
-- audience questions, pączki and a transcript. The rows are the truth: the reminder before
-- the start, each turn's warning and time-up and the automatic end are scheduler jobs
-- rebuilt from them, and the live card is redrawn from them after a restart.

CREATE TABLE panels (
    id               INTEGER PRIMARY KEY,
    guild_id         TEXT NOT NULL,
    topic            TEXT NOT NULL CHECK (length(topic) BETWEEN 1 AND 200),
    channel_id       TEXT NOT NULL,  -- where it is announced (and held, without a thread)
    channel_name     TEXT NOT NULL,
    place_id         TEXT,           -- where it runs once started: its thread, or the channel
    place_name       TEXT,
    card_message_id  TEXT,           -- the opening card in the place, edited live
    starts_at        TEXT NOT NULL,
    remind_at        TEXT NOT NULL,
    reminded         INTEGER NOT NULL DEFAULT 0,
    duration_s       INTEGER NOT NULL CHECK (duration_s BETWEEN 60 AND 86400),
    turn_s           INTEGER NOT NULL CHECK (turn_s BETWEEN 60 AND 3600),
    moderator_id     TEXT NOT NULL,
    moderator_name   TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'scheduled'
                     CHECK (status IN ('scheduled', 'live', 'ended')),
    started_at       TEXT,
    ends_at          TEXT,           -- started_at + duration: the automatic end
    ended_at         TEXT,
    published        INTEGER NOT NULL DEFAULT 0,  -- summary and transcript posted
    slowmode         INTEGER NOT NULL DEFAULT 0,
    slowmode_before  INTEGER,        -- the place's slow mode before, restored at the end
    timezone         TEXT NOT NULL,  -- the server's zone: transcript times, Tłusty Czwartek
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX panels_guild ON panels (guild_id, status);
-- One live panel per channel, whatever runs at once.
CREATE UNIQUE INDEX panels_live_channel ON panels (channel_id) WHERE status = 'live';
CREATE INDEX panels_place ON panels (place_id) WHERE status = 'live';
CREATE INDEX panels_reminding ON panels (remind_at) WHERE status = 'scheduled' AND reminded = 0;
CREATE INDEX panels_ending ON panels (ends_at) WHERE status = 'live';
-- Ended, and the transcript not posted yet (the bot stopped in between): posted at start.
CREATE INDEX panels_publishing ON panels (ended_at) WHERE status = 'ended' AND published = 0;

CREATE TABLE panel_panelists (
    panel_id INTEGER NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    user_id  TEXT NOT NULL,
    name     TEXT NOT NULL,
    PRIMARY KEY (panel_id, position),
    UNIQUE (panel_id, user_id)
);

-- Raised hands and the panelists still to speak in a round; seq only grows: arrival order.
CREATE TABLE panel_queue (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    panel_id  INTEGER NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('hand', 'round')),
    user_id   TEXT NOT NULL,
    name      TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    UNIQUE (panel_id, kind, user_id)
);

CREATE TABLE panel_turns (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    panel_id   INTEGER NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('queue', 'floor', 'round')),
    started_at TEXT NOT NULL,
    ends_at    TEXT NOT NULL,
    warn_at    TEXT,
    warned     INTEGER NOT NULL DEFAULT 0,
    ended_at   TEXT,
    ended_by   TEXT CHECK (ended_by IN ('time', 'next', 'end'))
);
-- One floor at a time.
CREATE UNIQUE INDEX panel_turns_open ON panel_turns (panel_id) WHERE ended_at IS NULL;
CREATE INDEX panel_turns_warning ON panel_turns (warn_at)
    WHERE ended_at IS NULL AND warned = 0 AND warn_at IS NOT NULL;
CREATE INDEX panel_turns_ending ON panel_turns (ends_at) WHERE ended_at IS NULL;
CREATE INDEX panel_turns_user ON panel_turns (panel_id, user_id);

CREATE TABLE panel_questions (
    id          INTEGER PRIMARY KEY,
    panel_id    INTEGER NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    author_id   TEXT NOT NULL,
    author_name TEXT NOT NULL,
    text        TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 500),
    status      TEXT NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'current', 'answered')),
    asked_at    TEXT NOT NULL,
    picked_at   TEXT,
    UNIQUE (panel_id, number)
);

CREATE TABLE panel_votes (
    question_id INTEGER NOT NULL REFERENCES panel_questions (id) ON DELETE CASCADE,
    voter_id    TEXT NOT NULL,
    voted_at    TEXT NOT NULL,
    PRIMARY KEY (question_id, voter_id)
);

-- One pączek per giver per turn, never to oneself.
CREATE TABLE panel_paczki (
    turn_id       INTEGER NOT NULL REFERENCES panel_turns (id) ON DELETE CASCADE,
    panel_id      INTEGER NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    giver_id      TEXT NOT NULL,
    receiver_id   TEXT NOT NULL,
    receiver_name TEXT NOT NULL,
    given_at      TEXT NOT NULL,
    PRIMARY KEY (turn_id, giver_id),
    CHECK (giver_id != receiver_id)
);
CREATE INDEX panel_paczki_panel ON panel_paczki (panel_id, receiver_id);

-- What the transcript shows, in order: turns, questions, chat said in the panel.
CREATE TABLE panel_log (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    panel_id INTEGER NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    at       TEXT NOT NULL,
    kind     TEXT NOT NULL
             CHECK (kind IN ('start', 'turn', 'turn_end', 'asked', 'question', 'chat', 'end')),
    user_id  TEXT NOT NULL DEFAULT '',
    name     TEXT NOT NULL DEFAULT '',
    text     TEXT NOT NULL DEFAULT '',
    number   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX panel_log_panel ON panel_log (panel_id, seq);

-- The first panel message of Tłusty Czwartek in a server carries the greeting.
CREATE TABLE panel_greetings (
    guild_id TEXT NOT NULL,
    day      TEXT NOT NULL,
    PRIMARY KEY (guild_id, day)
);
