-- A start used to read every pending rule (SELECT DISTINCT recurrence: 0.7 s at 200 000
-- pending reminders) to set aside the ones it cannot read. Now a row says whether its rule
-- was checked: the bot writes the rules it makes as checked, any change of a stored rule
-- clears the mark (an edit by hand in SQL included, by the trigger), and a start reads only
-- the unchecked rows, along their own small index. The rows already stored are checked
-- once, at the first start after this migration. A version that reads fewer rules than
-- before clears every mark in its own migration.
ALTER TABLE reminders ADD COLUMN rule_checked INTEGER NOT NULL DEFAULT 0;
CREATE INDEX reminders_rule_unchecked ON reminders (recurrence)
    WHERE status = 'pending' AND recurrence IS NOT NULL AND rule_checked = 0;
CREATE TRIGGER reminders_rule_changed AFTER UPDATE OF recurrence ON reminders
    WHEN NEW.recurrence IS NOT OLD.recurrence AND NEW.rule_checked = 1
BEGIN
    UPDATE reminders SET rule_checked = 0 WHERE id = NEW.id;
END;
