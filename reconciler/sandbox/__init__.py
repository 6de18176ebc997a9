"""A faithful, stateful simulator of the Zoom API; imports nothing else from reconciler."""
