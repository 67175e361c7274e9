-- A row whose repetition rule the bot cannot handle (an INTERVAL=0 written by an older
-- version or by hand, a rule that takes too long to compute, an unreadable `every`) is set
-- aside at start instead of hanging it: its status becomes stopped / failed and this says
-- why (the catalog key of the reason). NULL: the row is in use or was stopped by a person.
ALTER TABLE event_series ADD COLUMN set_aside TEXT;
ALTER TABLE reminders ADD COLUMN set_aside TEXT;
