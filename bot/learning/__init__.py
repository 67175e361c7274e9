"""Learning programmes: themes, registration through a sign-up sheet, sessions as events."""
