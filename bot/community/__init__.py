"""The community itself: guild configuration, roles, user preferences, help."""
