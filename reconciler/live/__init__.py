"""The live package."""
