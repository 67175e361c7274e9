-- The public web page (web/): only what a community chose to publish.
-- A server is off the page until an admin turns it on (`/setup server public:yes`), with the
-- invite link the page offers; each group can be hidden from it (`/group edit public:no`);
-- an initiator's name is shown only when they chose so (`/profile set show_name:yes`).
ALTER TABLE guild_config ADD COLUMN public INTEGER NOT NULL DEFAULT 0;
ALTER TABLE guild_config ADD COLUMN invite TEXT;
ALTER TABLE groups ADD COLUMN public INTEGER NOT NULL DEFAULT 1;
ALTER TABLE profiles ADD COLUMN show_name INTEGER NOT NULL DEFAULT 0;
