"""Helpers of the reliability tests: steady polling, request records, the stored state."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, Final

from homeassistant import loader
from homeassistant.core import HomeAssistant
from homeassistant.helpers import frame
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from custom_components.switchbot_automation.const import DOMAIN
from custom_components.switchbot_automation.store import storage_key
from switchbot_sim import AC_REMOTE_ID, METER_ID, SwitchBotSimulator
from tests.integration_fixtures import SEED_POLLING
from tests.integration_support import entity_state

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


def set_room(simulator: SwitchBotSimulator, temperature: float) -> None:
    """Hold the room at ``temperature``, whatever the AC does."""
    room = simulator.room
    room.ac_rate = 0.0
    room.outdoor = room.temperature = temperature


def requests_at(simulator: SwitchBotSimulator, path: str, method: str = "GET") -> list[datetime]:
    """Return the instants of the requests the simulator received for ``method path``."""
    return [
        request.at
        for request in simulator.requests
        if request.path == path and request.method == method
    ]


def commands(simulator: SwitchBotSimulator) -> list[tuple[datetime, str, str]]:
    """Return the commands the AC accepted: (instant, command, parameter)."""
    return [
        (command.at, command.command, command.parameter)
        for command in simulator.commands_sent(AC_REMOTE_ID)
    ]


def stored(hass_storage: dict[str, Any], entry: MockConfigEntry) -> dict[str, Any]:
    """Return the automation state the entry saved."""
    data: dict[str, Any] = hass_storage[storage_key(entry.entry_id)]["data"]
    return data


def sensor(hass: HomeAssistant, entry: MockConfigEntry, key: str) -> str:
    """Return the state of the entry's sensor ``key``."""
    return entity_state(hass, entry, "sensor", key).state


async def async_spin_until(condition: Callable[[], bool]) -> None:
    """Let the event loop run, sockets included and the clock standing, until ``condition``."""
    for _ in range(10_000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition never met")


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
        again = MockConfigEntry(
            domain=DOMAIN,
            entry_id=entry.entry_id,
            title=entry.title,
            data=dict(entry.data),
            options=dict(entry.options),
            unique_id=entry.unique_id,
        )
        again.add_to_hass(hass)
        try:
            yield hass, again
        finally:
            await hass.async_stop(force=True)


def entry_with_options(entry: MockConfigEntry, **changes: Any) -> MockConfigEntry:
    """Return a copy of ``entry`` (not added yet) whose options have ``changes``.

    Unlike updating the entry, this keeps a value equal to the one it replaces (``1`` for
    ``True``), so a test can store exactly what it means to.
    """
    return MockConfigEntry(
        domain=DOMAIN,
        title=entry.title,
        data=dict(entry.data),
        options={**entry.options, **changes},
        unique_id=entry.unique_id,
    )
