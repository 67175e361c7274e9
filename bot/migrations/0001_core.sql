-- Guild configuration, role grants and mappings, user preferences.
-- Ids are platform-neutral strings "platform:id" (DESIGN.md rule 7); times are ISO UTC.

CREATE TABLE users (
    user_id      TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE user_prefs (
    user_id    TEXT PRIMARY KEY,
    locale     TEXT,
    timezone   TEXT,
    updated_at TEXT NOT NULL
);

CREATE TABLE guild_config (
    guild_id         TEXT PRIMARY KEY,
    locale           TEXT,
    timezone         TEXT,
    forum_channel_id TEXT,
    forum_channel    TEXT,
    log_channel_id   TEXT,
    log_channel      TEXT,
    updated_at       TEXT NOT NULL
);

CREATE TABLE role_grants (
    guild_id   TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('initiator', 'moderator', 'admin')),
    granted_by TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id, role)
);

CREATE TABLE role_mappings (
    guild_id           TEXT NOT NULL,
    role               TEXT NOT NULL CHECK (role IN ('initiator', 'moderator', 'admin')),
    platform_role_id   TEXT NOT NULL,
    platform_role_name TEXT NOT NULL,
    PRIMARY KEY (guild_id, role)
);
