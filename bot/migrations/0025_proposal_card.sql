-- Where a proposal's card went in the log channel, so a decision can edit it (the outcome,
-- who decided, no buttons). NULL while the card is unsent, or when there is no log channel.
ALTER TABLE group_proposals ADD COLUMN card_channel_id TEXT;
ALTER TABLE group_proposals ADD COLUMN card_message_id TEXT;
