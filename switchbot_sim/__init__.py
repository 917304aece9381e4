"""A local SwitchBot Cloud simulator for tests and development (never shipped)."""
