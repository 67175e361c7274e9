"""End-to-end tests: the unmodified discord.py client and our cogs against a Discord API double."""
