"""What the public web page may show: only what a community chose to publish (read-only)."""
