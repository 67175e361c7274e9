-- Which group a sheet, a poll or a panel belongs to (NULL: the whole server's). A group's
-- content is seen only by its members, moderators and admins (bot/visibility.py). The
-- group is kept on the row itself, so it holds after /group repair gives the group a new
-- channel. No foreign key on purpose: were a group's row ever deleted, its content must
-- stay hidden rather than become the whole server's.
ALTER TABLE signup_sheets ADD COLUMN group_id INTEGER;
ALTER TABLE polls ADD COLUMN group_id INTEGER;
ALTER TABLE panels ADD COLUMN group_id INTEGER;

-- Rows made before: the group whose channel they were posted in.
UPDATE signup_sheets SET group_id = (
    SELECT g.id FROM groups g WHERE g.channel_id = signup_sheets.channel_id
      AND g.guild_id = signup_sheets.guild_id
)
-- A learning programme's registration sheet is as public as the programme.
WHERE id NOT IN (SELECT sheet_id FROM learning_programs);
UPDATE polls SET group_id = (
    SELECT g.id FROM groups g WHERE g.channel_id = polls.channel_id
      AND g.guild_id = polls.guild_id
);
UPDATE panels SET group_id = (
    SELECT g.id FROM groups g WHERE g.channel_id = panels.channel_id
      AND g.guild_id = panels.guild_id
);
