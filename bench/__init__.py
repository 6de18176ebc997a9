"""Benchmarks: each script prints its figures; run them by hand, never in the test suite."""
