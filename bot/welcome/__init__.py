"""The welcome: /start, a greeting once per person, and a server's "Start here" message."""
