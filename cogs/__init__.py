"""The Discord front end: the Bot subclass and one cog per feature (imports bot/, never back)."""
