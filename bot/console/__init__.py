"""The terminal front end: type the same slash commands as on Discord."""
