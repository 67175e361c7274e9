"""Local director groups: channels, directory, groups near me, map, guide, rotating meetings."""
