"""Diagnostics, and the credentials never leaking into states, logs or diagnostics."""

import json
import logging

# Downloading diagnostics imports the Supervisor's client (system_info), whose dataclasses
# mashumaro compiles at import: under the frozen clock that fails on Home Assistant 2025.4
# (freezegun's datetime class). Imported here, at collection, before any clock is frozen.
import aiohasupervisor  # noqa: F401
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.matchers import path_type

from switchbot_sim import Fault, SwitchBotSimulator
from tests.integration_fixtures import ROOM_ID
from tests.integration_support import async_advance, async_setup_with, entity_state

ALL_DAY = {"days": [0, 1, 2, 3, 4, 5, 6], "start": "00:00", "end": "23:59:59"}
# The simulator listens on a free port: the URL it gives the entry is checked apart.
ANY_API_URL = path_type({"entry.data.api_url": (str,)})


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
    simulator: SwitchBotSimulator,
    setup_integration: MockConfigEntry,
) -> None:
    """The entry with its credentials and unique id redacted, the time zone, the engine
    state, the schedule and the account's devices (``tests/snapshots/test_diagnostics.ambr``)."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, setup_integration)
    assert diagnostics == snapshot(matcher=ANY_API_URL)
    assert diagnostics["entry"]["data"]["api_url"] == simulator.url

    # They agree with the entities.
    def sensor(key: str) -> str:
        return entity_state(hass, setup_integration, "sensor", key).state

    room = diagnostics["rooms"][ROOM_ID]
    polling = room["polling"]
    assert room["state"]["last_tick"] == sensor("last_tick")
    assert polling["next_tick"] == sensor("next_tick")
    assert (str(polling["interval_seconds"]), polling["mode"]) == (
        sensor("poll_interval"),
        sensor("polling_mode"),
    )
    assert str(diagnostics["calls"]["api_calls_today"]) == sensor("api_calls_today")


async def test_diagnostics_without_the_device_list(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Set up with the quota exhausted: no device list (``account`` is None)."""
    simulator.account.daily_limit = 0
    await async_setup_with(hass, mock_config_entry)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, mock_config_entry)
    assert diagnostics == snapshot(matcher=ANY_API_URL)


async def test_credentials_never_leak(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    *,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    simulator.room.temperature = 17.0  # a command is sent when in a window
    await async_setup_with(hass, mock_config_entry, time_windows=[ALL_DAY])
    assert simulator.commands_sent()
    simulator.inject(Fault.status_code(190, "bad token " + simulator.token))
    await async_advance(hass, freezer, 60)
    simulator.inject(Fault.http(401))
    await async_advance(hass, freezer, 60)

    diagnostics = json.dumps(
        await get_diagnostics_for_config_entry(hass, hass_client, mock_config_entry)
    )
    states = json.dumps([state.as_dict() for state in hass.states.async_all()], default=str)
    for secret in (simulator.token, simulator.secret):
        assert secret not in diagnostics
        assert secret not in states
        assert secret not in caplog.text
