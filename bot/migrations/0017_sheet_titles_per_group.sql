-- A title names one live sheet per group (or among the server's national sheets), so a
-- title taken inside a group no longer tells an outsider that the group's sheet exists.
DROP INDEX signup_sheets_title;
CREATE UNIQUE INDEX signup_sheets_title
    ON signup_sheets (guild_id, COALESCE(group_id, 0), title_key)
    WHERE status != 'deleted';
