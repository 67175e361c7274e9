"""Podaj dalej: the core. No module here imports discord or nio."""
