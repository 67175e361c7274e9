"""Reminders that survive restarts, in four languages."""
