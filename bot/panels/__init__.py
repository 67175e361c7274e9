"""Virtual pączek panels: a moderated chat panel with a queue, timed turns and a transcript."""
