"""End-to-end tests: a real Home Assistant process, the simulator and a browser."""
