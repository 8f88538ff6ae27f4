"""Access decisions about label proposals."""
