"""The audit log: what moderators and admins did, in a table and the log channel."""
