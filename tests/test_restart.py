"""What survives a restart: the stored state, its recovery, and its removal."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from switchbot_sim import AC_REMOTE_ID, Fault, SwitchBotSimulator
from tests.integration_support import (
    START,
    async_advance,
    async_advance_to,
    async_setup_with,
    entity_state,
)


def _key(entry: MockConfigEntry) -> str:
    return f"switchbot_automation.{entry.entry_id}"


def _turn_offs(simulator: SwitchBotSimulator) -> list[datetime]:
    return [
        command.at
        for command in simulator.commands_sent(AC_REMOTE_ID)
        if command.command == "turnOff"
    ]


async def _setup_too_warm(
    hass: HomeAssistant, simulator: SwitchBotSimulator, entry: MockConfigEntry
) -> None:
    """Set up in a warm room: the first tick sends OFF and schedules two repeats 10 s apart."""
    simulator.room.ac_rate = 0.0
    simulator.room.outdoor = simulator.room.temperature = 23.0
    await async_setup_with(hass, entry, off_repeat_count=3, off_repeat_interval_seconds=10)
    assert _turn_offs(simulator) == [START]


async def test_pending_repeat_survives_a_reload(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    entry = mock_config_entry
    await _setup_too_warm(hass, simulator, entry)
    await async_advance(hass, freezer, 4)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    stored = hass_storage[_key(entry)]["data"]
    assert stored["off_repeat"]["remaining"] == 2
    assert stored["assumed_power"] is False
    assert stored["quota"]["calls"] == 5  # devices, reading, OFF; again devices, reading
    # The tick at set-up found the repeat not due yet, and waits for it.
    assert entity_state(hass, entry, "sensor", "poll_interval").state == "6"
    for seconds in (10, 20, 30, 45):
        await async_advance_to(hass, freezer, START + timedelta(seconds=seconds))
    repeats = [START + timedelta(seconds=seconds) for seconds in (10, 20)]
    assert _turn_offs(simulator) == [START, *repeats]


async def test_repeat_due_while_stopped_is_sent_at_the_first_tick(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    entry = mock_config_entry
    await _setup_too_warm(hass, simulator, entry)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED

    await async_advance(hass, freezer, 45)  # both repeats fell due meanwhile
    assert _turn_offs(simulator) == [START]
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    restarted = START + timedelta(seconds=45)
    assert _turn_offs(simulator) == [START, restarted]
    assert entity_state(hass, entry, "binary_sensor", "off_repeat_pending").state == STATE_ON
    for _ in range(3):
        await async_advance(hass, freezer, 10)
    assert _turn_offs(simulator) == [START, restarted, restarted + timedelta(seconds=10)]
    assert hass_storage[_key(entry)]["data"]["off_repeat"] is None


async def test_a_tick_cut_by_a_stop_is_still_recorded(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    setup_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """Home Assistant cancels background tasks when it stops: the tick finishes anyway."""
    entry = setup_integration
    simulator.room.ac_rate = 0.0
    simulator.room.outdoor = simulator.room.temperature = 18.0
    simulator.inject(Fault.delayed(5), method="POST")
    freezer.tick(15)
    async_fire_time_changed(hass)
    for _ in range(10_000):  # until the ON command is in flight
        if any(request.method == "POST" for request in simulator.requests):
            break
        await asyncio.sleep(0)
    refreshes = [task for task in hass._background_tasks if "refresh" in task.get_name()]
    assert refreshes
    for task in refreshes:
        task.cancel("Home Assistant is stopping")  # what stopping does to background tasks
    await asyncio.sleep(0)
    assert all(task.cancelled() for task in refreshes)

    freezer.tick(5)
    async_fire_time_changed(hass)  # the command is answered
    await hass.async_block_till_done()
    assert len(simulator.commands_sent(AC_REMOTE_ID)) == 1
    stored = hass_storage[_key(entry)]["data"]
    assert stored["assumed_power"] is True
    assert stored["last_action"] == "on"


async def test_assumed_state_and_reading_survive(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
) -> None:
    """After a restart the AC is still known to be on: the ON is not sent again."""
    entry = mock_config_entry
    simulator.room.ac_rate = 0.0
    simulator.room.outdoor = simulator.room.temperature = 18.0
    await async_setup_with(hass, entry, command_cooldown_seconds=0)
    assert len(simulator.commands_sent(AC_REMOTE_ID)) == 1
    assert await hass.config_entries.async_unload(entry.entry_id)
    simulator.room.outdoor = simulator.room.temperature = 18.5
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert len(simulator.commands_sent(AC_REMOTE_ID)) == 1
    assert entity_state(hass, entry, "sensor", "last_outcome").state == "already_on"
    assert entity_state(hass, entry, "binary_sensor", "aircon_power").state == STATE_ON
    assert entity_state(hass, entry, "sensor", "api_calls_today").state == "5"


async def test_quota_exhausted_before_a_restart_makes_no_call(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    entry = mock_config_entry
    hass_storage[_key(entry)] = {
        "version": 1,
        "data": {
            "version": 1,
            "quota": {
                "day": "2026-01-15",
                "calls": 10_000,
                "exhausted_until": "2026-01-16T00:00:00+00:00",
            },
        },
    }
    await async_setup_with(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    assert simulator.requests == []
    assert entity_state(hass, entry, "sensor", "polling_mode").state == "quota_exhausted"
    await async_advance_to(hass, freezer, datetime(2026, 1, 16, tzinfo=UTC))
    assert simulator.requests[0].path == "/v1.1/devices"


@pytest.mark.parametrize(
    "stored",
    [
        {"version": 1, "data": "garbage"},
        {"version": 1, "data": {"version": 1, "off_repeat": {"remaining": "two"}}},
        {"version": 99, "data": {}},
        {"version": 1},
    ],
    ids=["not-an-object", "bad-field", "unknown-version", "no-data"],
)
async def test_unreadable_state_starts_afresh(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    stored: dict[str, Any],
) -> None:
    hass_storage[_key(mock_config_entry)] = stored
    await async_setup_with(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert "Stored automation state" in caplog.text
    saved = hass_storage[_key(mock_config_entry)]
    assert saved["version"] == 1
    assert saved["data"]["last_outcome"] == "no_action"


async def test_failed_set_up_never_overwrites_the_stored_state(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    stored = {"version": 1, "data": {"version": 1, "assumed_power": True}}
    hass_storage[_key(mock_config_entry)] = stored
    mock_config_entry.add_to_hass(hass)
    with patch(
        "homeassistant.helpers.storage.Store.async_load", side_effect=RuntimeError("disk bug")
    ):
        assert not await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY
    assert hass_storage[_key(mock_config_entry)] == stored


async def test_removing_the_entry_deletes_its_state(
    hass: HomeAssistant,
    setup_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    assert _key(setup_integration) in hass_storage
    assert await hass.config_entries.async_remove(setup_integration.entry_id)
    await hass.async_block_till_done()
    assert _key(setup_integration) not in hass_storage
