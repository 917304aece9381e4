"""Tests of the SwitchBot Automation integration."""
