-- Learning programmes (issue #11): a programme of themes whose registration is a sign-up
-- sheet (one slot, the programme; its capacity and waitlist) and whose sessions are
-- events of kind "training". The sheet and the events stay the truth for seats and
-- dates; these rows only tie them to the programme.

CREATE TABLE learning_programs (
    id          INTEGER PRIMARY KEY,
    guild_id    TEXT NOT NULL,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    name_key    TEXT NOT NULL,   -- normalized name: one programme of a name a server
    themes      TEXT NOT NULL,   -- JSON list of theme names, in order
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL,
    sheet_id    INTEGER NOT NULL,
    checkin_weeks   INTEGER CHECK (checkin_weeks BETWEEN 1 AND 26),
    next_checkin_at TEXT,        -- the next check-in reminder; NULL when none is left
    threshold   INTEGER NOT NULL DEFAULT 1 CHECK (threshold >= 1),  -- sessions for a certificate
    timezone    TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (guild_id, name_key)
);

CREATE TABLE learning_sessions (
    event_id    INTEGER PRIMARY KEY,
    program_id  INTEGER NOT NULL REFERENCES learning_programs (id),
    theme       TEXT NOT NULL
);

CREATE INDEX learning_sessions_by_program ON learning_sessions (program_id);

-- Who took part in a session, as a moderator marked it.
CREATE TABLE learning_attendance (
    event_id    INTEGER NOT NULL REFERENCES learning_sessions (event_id),
    user_id     TEXT NOT NULL,
    name        TEXT NOT NULL,
    marked_by   TEXT NOT NULL,
    marked_at   TEXT NOT NULL,
    PRIMARY KEY (event_id, user_id)
);

-- A personal learning line: one's goals (numbered 1..5, replaced as a whole), dated
-- reflections on them, and the coaches allowed to read it. Private by default.
CREATE TABLE learning_goals (
    guild_id    TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    number      INTEGER NOT NULL CHECK (number BETWEEN 1 AND 5),
    text        TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 200),
    set_at      TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id, number)
);

CREATE TABLE learning_log (
    id          INTEGER PRIMARY KEY,
    guild_id    TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    goal        TEXT NOT NULL,   -- the goal's text when written: goals may be set anew
    text        TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 1500),
    written_at  TEXT NOT NULL
);

CREATE INDEX learning_log_by_user ON learning_log (guild_id, user_id, written_at);

CREATE TABLE learning_coaches (
    guild_id    TEXT NOT NULL,
    user_id     TEXT NOT NULL,   -- whose line
    coach_id    TEXT NOT NULL,
    granted_at  TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id, coach_id)
);
