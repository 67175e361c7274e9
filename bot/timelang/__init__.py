"""The time language: everything a person may type about time, in pl, en, nl and bg.

What can users type? README.md beside this file answers it; docs/timeparse.md and
docs/repetitions.md give every convention with examples.
"""
