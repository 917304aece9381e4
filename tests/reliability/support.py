"""Helpers of the reliability tests: steady polling, room temperatures, paths, restarts.

The helpers the integration's tests share (``Home``, ``set_room``, ``commands``,
``requests_at``, ``stored``, ``sensor``, ``async_spin_until``) are in
``tests/integration_support.py``; they are imported from here too, as they used to be.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Final

from homeassistant import loader
from homeassistant.core import HomeAssistant
from homeassistant.helpers import frame
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from switchbot_sim import AC_REMOTE_ID, METER_ID
from tests.integration_fixtures import SEED_POLLING
from tests.integration_support import (
    async_spin_until,
    commands,
    copy_entry,
    requests_at,
    sensor,
    set_room,
    stored,
)

__all__ = [
    "COLD",
    "COMMAND_PATH",
    "STATUS_PATH",
    "STEADY_POLLING",
    "WARM",
    "async_restarted",
    "async_spin_until",
    "commands",
    "requests_at",
    "sensor",
    "set_room",
    "stored",
]

STATUS_PATH: Final = f"/v1.1/devices/{METER_ID}/status"
COMMAND_PATH: Final = f"/v1.1/devices/{AC_REMOTE_ID}/commands"

STEADY_POLLING: Final[dict[str, Any]] = {**SEED_POLLING, "command_cooldown_seconds": 0}
"""Options giving a tick, and a reading, every base interval (15 s) inside the windows,
as the original dashboard did: the quota savings are left out so each test can count
ticks. Commands have no cooldown, so the first good tick after a fault acts."""

COLD: Final = 18.0
"""A room temperature that turns the (winter) heating on."""
WARM: Final = 23.0
"""A room temperature that turns the heating off."""


@asynccontextmanager
async def async_restarted(
    entry: MockConfigEntry,
) -> AsyncIterator[tuple[HomeAssistant, MockConfigEntry]]:
    """Start another Home Assistant, on the same storage, holding ``entry`` as it was saved.

    The test sets the entry up (``async_setup``) when it wants; this Home Assistant stops
    when the block ends.
    """
    async with async_test_home_assistant() as hass:
        frame.async_setup(hass)
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)  # as ``enable_custom_integrations``
        again = copy_entry(entry, entry_id=entry.entry_id)
        again.add_to_hass(hass)
        try:
            yield hass, again
        finally:
            await hass.async_stop(force=True)
