"""Pytest plugin: a SwitchBot Automation config entry wired to the simulator.

Enable with ``pytest_plugins = ["tests.simulator_fixtures", "tests.integration_fixtures"]``
in ``tests/conftest.py`` (or ``-p tests.integration_fixtures``). Helpers for the tests
themselves (the clock, entity look-ups) are in ``tests/integration_support.py``.

Nothing of Home Assistant or the integration is imported at the top: ``-p`` loads a plugin
before Home Assistant's test plugin (which must import the recorder first) and before
pytest-cov starts measuring.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from switchbot_sim import SwitchBotSimulator

ENTRY_ID = "mock_entry_id"
"""The ``mock_config_entry``'s id, fixed: unique ids and the snapshots are made from it."""
ROOM_ID = "mock_room_id"
"""The id of the ``mock_config_entry``'s room (its config subentry), fixed likewise."""
ROOM_TITLE = "SwitchBot Automation"
ALL_DAYS = [0, 1, 2, 3, 4, 5, 6]
MORNING = {"days": ALL_DAYS, "start": "07:00", "end": "09:00"}
EVENING = {"days": ALL_DAYS, "start": "18:00", "end": "22:00"}


# The original dashboard's polling: the base interval throughout a window, the meter read at
# every tick, no daily budget. Most integration tests count ticks and calls at that pace; the
# quota savings that are on by default have their own tests (``test_quota_savings.py``).
SEED_POLLING = {
    "max_temperature_rate": 0.0,
    "idle_read_interval_seconds": 0,
    "daily_call_budget": 0,
}


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """Default options with the simulator's meter and AC, two daily windows, Paris time.

    Polling is the original dashboard's (``SEED_POLLING``), and so is leaving the unit alone
    outside the windows: most tests count commands inside the windows (new entries turn the
    unit off outside them, tested on its own).
    """
    from custom_components.switchbot_automation.engine.settings import default_options
    from switchbot_sim import AC_REMOTE_ID, METER_ID

    return {
        **default_options(),
        **SEED_POLLING,
        "meter_device_id": METER_ID,
        "aircon_device_id": AC_REMOTE_ID,
        "time_windows": [MORNING, EVENING],
        "timezone": "Europe/Paris",
        "turn_off_outside_windows": False,
    }


@pytest.fixture
def mock_config_entry(
    simulator: SwitchBotSimulator, entry_options: dict[str, Any]
) -> MockConfigEntry:
    """A config entry for the simulator's account with one room (not added to Home Assistant yet).

    ``entry_options`` holds the account's options and the room's: they are split as the
    entry stores them.
    """
    from homeassistant.config_entries import ConfigSubentryData
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.switchbot_automation.account import account_unique_id
    from custom_components.switchbot_automation.const import DOMAIN, SUBENTRY_ROOM
    from custom_components.switchbot_automation.engine import account_options, room_options

    return MockConfigEntry(
        domain=DOMAIN,
        version=2,
        entry_id=ENTRY_ID,
        title="SwitchBot account",
        data={"token": simulator.token, "secret": simulator.secret, "api_url": simulator.url},
        options=account_options(entry_options),
        unique_id=account_unique_id(simulator.token),
        subentries_data=[
            ConfigSubentryData(
                data=room_options(entry_options),
                subentry_id=ROOM_ID,
                subentry_type=SUBENTRY_ROOM,
                title=ROOM_TITLE,
                unique_id=entry_options.get("aircon_device_id") or None,
            )
        ],
    )


@pytest.fixture
async def setup_integration(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> MockConfigEntry:
    """The config entry, set up: its first tick has run."""
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry
