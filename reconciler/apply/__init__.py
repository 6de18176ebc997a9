"""The apply package."""
