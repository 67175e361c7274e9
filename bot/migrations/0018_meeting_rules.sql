-- A meeting plan repeats by a rule read from words ("w pierwszy czwartek miesiąca",
-- "every 6 weeks"), stored as its RFC 5545 text (bot/repetition.py). Plans saved before keep
-- every_months / every_weeks and are read as they were; a new plan fills `rule` only.
ALTER TABLE meeting_plans ADD COLUMN rule TEXT;
