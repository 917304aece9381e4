"""Constants shared by the Home Assistant glue of SwitchBot Automation."""

from typing import Final

DOMAIN: Final = "switchbot_automation"

# Keys of ``entry.data``; ``token`` is Home Assistant's ``CONF_TOKEN``.
CONF_SECRET: Final = "secret"  # noqa: S105 - the name of a field, not a credential
CONF_API_URL: Final = "api_url"

SUBENTRY_ROOM: Final = "room"
"""The config subentry type of a room: its thermometer, its unit and all its options."""
