"""What survives a restart: the stored state, its recovery, and its removal."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_ON
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from switchbot_sim import AC_REMOTE_ID, Fault, SwitchBotSimulator
from tests.integration_support import START, Home


def _key(entry: MockConfigEntry) -> str:
    """Return the storage key of the entry's (first) room's state."""
    return f"switchbot_automation.{next(iter(entry.subentries))}"


def _turn_offs(simulator: SwitchBotSimulator) -> list[datetime]:
    return [
        command.at
        for command in simulator.commands_sent(AC_REMOTE_ID)
        if command.command == "turnOff"
    ]


async def _setup_too_warm(home: Home) -> None:
    """Set up in a warm room: the first tick sends OFF and schedules two repeats 10 s apart."""
    await home.set_up(23.0, off_repeat_count=3, off_repeat_interval_seconds=10)
    assert _turn_offs(home.simulator) == [START]


async def test_pending_repeat_survives_a_reload(home: Home) -> None:
    await _setup_too_warm(home)
    await home.advance(4)
    assert await home.hass.config_entries.async_reload(home.entry.entry_id)
    await home.hass.async_block_till_done()
    stored = home.stored()
    assert stored["off_repeat"]["remaining"] == 2
    assert stored["assumed_power"] is False
    assert stored["quota"]["calls"] == 5  # devices, reading, OFF; again devices, reading
    # The tick at set-up found the repeat not due yet, and waits for it.
    assert home.sensor("poll_interval") == "6"
    for seconds in (10, 20, 30, 45):
        await home.advance_to(START + timedelta(seconds=seconds))
    repeats = [START + timedelta(seconds=seconds) for seconds in (10, 20)]
    assert _turn_offs(home.simulator) == [START, *repeats]


async def test_repeat_due_while_stopped_is_sent_at_the_first_tick(home: Home) -> None:
    await _setup_too_warm(home)
    assert await home.hass.config_entries.async_unload(home.entry.entry_id)
    await home.hass.async_block_till_done()
    assert home.entry.state is ConfigEntryState.NOT_LOADED

    await home.advance(45)  # both repeats fell due meanwhile
    assert _turn_offs(home.simulator) == [START]
    assert await home.hass.config_entries.async_setup(home.entry.entry_id)
    await home.hass.async_block_till_done()
    restarted = START + timedelta(seconds=45)
    assert _turn_offs(home.simulator) == [START, restarted]
    assert home.state("binary_sensor", "off_repeat_pending") == STATE_ON
    for _ in range(3):
        await home.advance(10)
    assert _turn_offs(home.simulator) == [START, restarted, restarted + timedelta(seconds=10)]
    assert home.stored()["off_repeat"] is None


async def test_a_tick_cut_by_a_stop_is_still_recorded(home: Home) -> None:
    """Home Assistant cancels background tasks when it stops: the tick finishes anyway."""
    await home.set_up()
    home.set_room(18.0)
    home.simulator.inject(Fault.delayed(5), method="POST")
    home.freezer.tick(15)
    async_fire_time_changed(home.hass)
    for _ in range(10_000):  # until the ON command is in flight
        if any(request.method == "POST" for request in home.simulator.requests):
            break
        await asyncio.sleep(0)
    refreshes = [task for task in home.hass._background_tasks if "refresh" in task.get_name()]
    assert refreshes
    for task in refreshes:
        task.cancel("Home Assistant is stopping")  # what stopping does to background tasks
    await asyncio.sleep(0)
    assert all(task.cancelled() for task in refreshes)

    home.freezer.tick(5)
    async_fire_time_changed(home.hass)  # the command is answered
    await home.hass.async_block_till_done()
    assert len(home.simulator.commands_sent(AC_REMOTE_ID)) == 1
    stored = home.stored()
    assert stored["assumed_power"] is True
    assert stored["last_action"] == "on"


async def test_assumed_state_and_reading_survive(home: Home) -> None:
    """After a restart the AC is still known to be on: the ON is not sent again."""
    await home.set_up(18.0, command_cooldown_seconds=0)
    assert len(home.simulator.commands_sent(AC_REMOTE_ID)) == 1
    assert await home.hass.config_entries.async_unload(home.entry.entry_id)
    home.simulator.room.outdoor = home.simulator.room.temperature = 18.5
    assert await home.hass.config_entries.async_setup(home.entry.entry_id)
    await home.hass.async_block_till_done()
    assert len(home.simulator.commands_sent(AC_REMOTE_ID)) == 1
    assert home.sensor("last_outcome") == "already_on"
    assert home.state("binary_sensor", "aircon_power") == STATE_ON
    assert home.sensor("api_calls_today") == "5"


async def test_quota_exhausted_before_a_restart_makes_no_call(home: Home) -> None:
    home.storage[_key(home.entry)] = {
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
    await home.set_up()
    assert home.entry.state is ConfigEntryState.LOADED
    assert home.simulator.requests == []
    assert home.sensor("polling_mode") == "quota_exhausted"
    await home.advance_to(datetime(2026, 1, 16, tzinfo=UTC))
    assert home.simulator.requests[0].path == "/v1.1/devices"


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
    home: Home, caplog: pytest.LogCaptureFixture, stored: dict[str, Any]
) -> None:
    home.storage[_key(home.entry)] = stored
    await home.set_up()
    assert home.entry.state is ConfigEntryState.LOADED
    assert "Stored automation state" in caplog.text
    saved = home.storage[_key(home.entry)]
    assert saved["version"] == 1
    assert saved["data"]["last_outcome"] == "no_action"


async def test_failed_set_up_never_overwrites_the_stored_state(home: Home) -> None:
    stored = {"version": 1, "data": {"version": 1, "assumed_power": True}}
    home.storage[_key(home.entry)] = stored
    home.entry.add_to_hass(home.hass)
    with patch(
        "homeassistant.helpers.storage.Store.async_load", side_effect=RuntimeError("disk bug")
    ):
        assert not await home.hass.config_entries.async_setup(home.entry.entry_id)
        await home.hass.async_block_till_done()
    assert home.entry.state is ConfigEntryState.SETUP_RETRY
    assert home.storage[_key(home.entry)] == stored


async def test_removing_the_entry_deletes_its_state(home: Home) -> None:
    await home.set_up()
    assert _key(home.entry) in home.storage
    assert await home.hass.config_entries.async_remove(home.entry.entry_id)
    await home.hass.async_block_till_done()
    assert _key(home.entry) not in home.storage
