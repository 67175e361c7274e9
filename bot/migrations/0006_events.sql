-- Events: national forums, supervisions, trainings, regional and group meetings. Each is
-- one row (an occurrence of a series too), announced (a forum post or a message in the group's channel, and a native
-- scheduled event), answered (RSVP), remembered (reminders) and exported (.ics).
-- The rows are the truth; scheduler jobs (publishing, reminders, retries, registration
-- windows) are rebuilt from them. Times are UTC ISO text to the second.

-- A repeating event (an RRULE from its first start, in its zone's wall-clock time): each
-- occurrence becomes an ordinary event, made and announced `ahead_s` before it starts.
CREATE TABLE event_series (
    id          INTEGER PRIMARY KEY,
    guild_id    TEXT NOT NULL,
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    title_key   TEXT NOT NULL,
    kind        TEXT NOT NULL
                CHECK (kind IN ('forum', 'supervision', 'training', 'regional', 'group')),
    rule        TEXT NOT NULL,  -- RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=2TU
    first_at    TEXT NOT NULL,
    duration_s  INTEGER NOT NULL CHECK (duration_s > 0),
    until_at    TEXT,
    timezone    TEXT NOT NULL,
    place       TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    audience    TEXT NOT NULL DEFAULT 'all' CHECK (audience IN ('all', 'region', 'group')),
    group_id    INTEGER REFERENCES groups (id) ON DELETE SET NULL,
    capacity    INTEGER CHECK (capacity IS NULL OR capacity >= 1),
    ahead_s     INTEGER NOT NULL CHECK (ahead_s > 0),
    next_at     TEXT,           -- the start of the next occurrence to make; NULL: finished
    made        INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'stopped')),
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX event_series_next ON event_series (next_at)
    WHERE status = 'active' AND next_at IS NOT NULL;

CREATE TABLE events (
    id                   INTEGER PRIMARY KEY,
    guild_id             TEXT NOT NULL,
    title                TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    title_key            TEXT NOT NULL,  -- lower case without diacritics, for finding by title
    kind                 TEXT NOT NULL
                         CHECK (kind IN ('forum', 'supervision', 'training', 'regional', 'group')),
    starts_at            TEXT NOT NULL,
    ends_at              TEXT NOT NULL,
    timezone             TEXT NOT NULL,  -- the creator's zone: the .ics shows it
    place                TEXT NOT NULL DEFAULT '',
    description          TEXT NOT NULL DEFAULT '',
    audience             TEXT NOT NULL DEFAULT 'all' CHECK (audience IN ('all', 'region', 'group')),
    group_id             INTEGER REFERENCES groups (id) ON DELETE SET NULL,
    capacity             INTEGER CHECK (capacity IS NULL OR capacity >= 1),
    publish_at           TEXT,           -- when the announcement is (next) tried
    publish_attempts     INTEGER NOT NULL DEFAULT 0,
    published_at         TEXT,           -- NULL until announced
    registration_opens   TEXT,
    registration_closes  TEXT,
    registration_shown   TEXT NOT NULL DEFAULT 'none'
                         CHECK (registration_shown IN ('none', 'upcoming', 'open', 'closed')),
    status               TEXT NOT NULL DEFAULT 'scheduled'
                         CHECK (status IN ('scheduled', 'cancelled')),
    sequence             INTEGER NOT NULL DEFAULT 0,  -- the .ics SEQUENCE: +1 every change
    forum_id             TEXT,           -- the forum it was posted in (NULL: a group channel)
    post_channel_id      TEXT,           -- the forum thread, or the group's channel
    post_message_id      TEXT,
    native_id            TEXT,           -- the platform's scheduled event
    native_retry_at      TEXT,           -- creating it failed: try again then
    native_attempts      INTEGER NOT NULL DEFAULT 0,
    series_id            INTEGER REFERENCES event_series (id) ON DELETE SET NULL,
    created_by           TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX events_guild ON events (guild_id, starts_at);
CREATE INDEX events_series ON events (series_id) WHERE series_id IS NOT NULL;
CREATE INDEX events_title ON events (guild_id, title_key);
CREATE INDEX events_publishing ON events (publish_at)
    WHERE published_at IS NULL AND status = 'scheduled';
CREATE INDEX events_native_retry ON events (native_retry_at)
    WHERE native_retry_at IS NOT NULL AND status = 'scheduled';

CREATE TABLE event_rsvps (
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL,
    name        TEXT NOT NULL,  -- the display name when answering
    answer      TEXT NOT NULL CHECK (answer IN ('going', 'maybe', 'no')),
    answered_at TEXT NOT NULL,
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX event_rsvps_user ON event_rsvps (user_id, answer);

-- One row per reminder moment (7 days, 1 day, 1 hour before); rewritten when the event
-- moves, marked sent after the messages went out.
CREATE TABLE event_reminders (
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    offset_s  INTEGER NOT NULL CHECK (offset_s > 0),
    due_at    TEXT NOT NULL,
    sent_at   TEXT,
    PRIMARY KEY (event_id, offset_s)
);
CREATE INDEX event_reminders_due ON event_reminders (due_at) WHERE sent_at IS NULL;

-- What someone typed into the Discord form, kept until they confirm the preview or cancel
-- it, so the preview's buttons work after a restart too.
CREATE TABLE event_drafts (
    id           INTEGER PRIMARY KEY,
    guild_id     TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    channel_id   TEXT NOT NULL,
    channel_name TEXT NOT NULL,
    options      TEXT NOT NULL,  -- JSON: option name → text
    created_at   TEXT NOT NULL
);
