"""The public web page: map, directory, public events, calendar feed (read-only)."""
