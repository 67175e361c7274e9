-- A declined request to join a group by approval: the same person may ask that group
-- again only from `asks_again` on (bot/groups/model.py ASK_AGAIN_AFTER), so a decline is
-- not answered by a stream of new requests, each a new card in the group's channel.
-- One row per group and person; rows whose time has passed are deleted with each new
-- decline, and the person's rows go with /privacy forget (user_id).
CREATE TABLE group_declines (
    group_id   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL,
    asks_again TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_declines_asks_again ON group_declines (asks_again);
