-- Proposals to start a local group (`/group propose`): any director proposes, a moderator or
-- an admin approves (the group is made with the proposer as its initiator) or declines.
-- The proposer's rows go with /privacy forget (user_id); a decider's id is anonymized.
CREATE TABLE group_proposals (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id     TEXT NOT NULL,
    user_id      TEXT NOT NULL,  -- the proposer
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL,  -- bot.text.normalize(name): one pending proposal per name
    place_id     TEXT NOT NULL,  -- the gazetteer's place, as /group create takes it
    city         TEXT NOT NULL,  -- the place's name, to show
    description  TEXT NOT NULL DEFAULT '',
    join_mode    TEXT NOT NULL CHECK (join_mode IN ('open', 'approval')),
    status       TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'declined')),
    reason       TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    decider_id   TEXT,
    decider_name TEXT,
    decided_at   TEXT,
    group_id     INTEGER REFERENCES groups (id) ON DELETE SET NULL
);
-- One proposal waiting per person, and one per name, in a server.
CREATE UNIQUE INDEX group_proposals_one_per_person
    ON group_proposals (guild_id, user_id) WHERE status = 'pending';
CREATE UNIQUE INDEX group_proposals_one_per_name
    ON group_proposals (guild_id, name_key) WHERE status = 'pending';
