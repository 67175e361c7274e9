-- Local director groups, their members, directors' profiles and rotating meetings.

CREATE TABLE groups (
    id           INTEGER PRIMARY KEY,
    guild_id     TEXT NOT NULL,
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL,  -- lower case without diacritics: "Jura" and "jura" are one group
    city         TEXT NOT NULL,
    place_id     TEXT,
    region       TEXT NOT NULL,
    country      TEXT NOT NULL,
    lat          REAL NOT NULL,
    lon          REAL NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    join_mode    TEXT NOT NULL DEFAULT 'open' CHECK (join_mode IN ('open', 'approval')),
    status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    role_id      TEXT,
    role_name    TEXT,
    channel_id   TEXT,
    channel_name TEXT,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (guild_id, name_key)
);

CREATE TABLE group_members (
    group_id     INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('member', 'pending')),
    is_initiator INTEGER NOT NULL DEFAULT 0,
    since        TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

CREATE TABLE profiles (
    user_id    TEXT PRIMARY KEY,
    library    TEXT NOT NULL DEFAULT '',
    town       TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);

CREATE TABLE meeting_plans (
    group_id     INTEGER PRIMARY KEY REFERENCES groups (id) ON DELETE CASCADE,
    hosts        TEXT NOT NULL,  -- JSON list of host libraries, in rotation order
    every_months INTEGER,
    every_weeks  INTEGER,
    dates        TEXT,  -- JSON list of the planned dates still to come, when not periodic
    topic        TEXT NOT NULL DEFAULT '',
    timezone     TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE TABLE meetings (
    id         INTEGER PRIMARY KEY,
    group_id   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,  -- position in the plan: host = hosts[seq % len(hosts)]
    host       TEXT NOT NULL,
    starts_at  TEXT NOT NULL,
    topic      TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL DEFAULT 'planned'
               CHECK (status IN ('planned', 'held', 'skipped', 'cancelled')),
    reminded   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX meetings_group ON meetings (group_id, status, starts_at);
