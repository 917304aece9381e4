"""SwitchBot Automation: keeps a room between two temperatures through the SwitchBot Cloud."""
