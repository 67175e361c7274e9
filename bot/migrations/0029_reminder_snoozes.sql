-- One snooze per delivery: Snooze pressed again (a double click, or a second choice) moves
-- the snooze made from that delivery instead of adding another reminder.
-- snoozed_from: the reminder whose delivery this row brings back — the row itself for a
-- one-off reminder snoozed after it arrived, the series for the one-off copy a repeating
-- reminder's snooze makes. series_due: for such a copy, the series' next regular delivery
-- when the copy was made, which names the delivery it was snoozed from. The unique index
-- makes the database, not the bot's memory, refuse a second copy of one delivery, also
-- when two presses are handled at the same moment.
ALTER TABLE reminders ADD COLUMN snoozed_from INTEGER;
ALTER TABLE reminders ADD COLUMN series_due TEXT;
CREATE UNIQUE INDEX reminders_one_snooze ON reminders (snoozed_from, series_due)
    WHERE series_due IS NOT NULL;
