"""Privacy: a person's data exported or erased; whether their panel messages may be kept."""
