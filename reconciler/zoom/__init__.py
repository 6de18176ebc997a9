"""The zoom package."""
