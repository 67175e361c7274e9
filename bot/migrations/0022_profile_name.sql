-- The name a director chose to be known by (certificates carry it), beside the chat handle.
ALTER TABLE profiles ADD COLUMN full_name TEXT NOT NULL DEFAULT '';
