"""The Matrix front end (matrix-nio): text commands in rooms, reactions for buttons."""
