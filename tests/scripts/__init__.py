"""Tests of the development scripts (``scripts/*.py``), imported as modules."""
