"""Polls: date polls (yes / if need be / no per candidate time) and quick polls."""
