"""Reliability: faults of the cloud, restarts, daylight saving, load and bad input."""
