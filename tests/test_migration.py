"""Upgrading from release 0.1 (one room per entry) to the account with rooms.

``tests/fixtures/release_0_1_storage_<Home Assistant version>.json`` is what release 0.1
stored, written by that release itself on each Home Assistant version tested (the
registries' formats differ: an older Home Assistant cannot read a newer one's), with its
config entry, entity and device registries, and the automation state:
the heating was turned on, then the room warmed up and the OFF was sent with two repeats
still pending, one due at 06:31:15. Home Assistant starts on those files with this release.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant import loader
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import MAJOR_VERSION, MINOR_VERSION
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er, frame
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
    async_test_home_assistant,
)

from custom_components.switchbot_automation.const import DOMAIN, SUBENTRY_ROOM
from custom_components.switchbot_automation.migration import async_migrate_entry
from switchbot_sim import AC_REMOTE_ID, SwitchBotSimulator
from tests.integration_fixtures import ENTRY_ID
from tests.integration_support import START, set_room

STORED = (
    Path(__file__).parent / "fixtures" / f"release_0_1_storage_{MAJOR_VERSION}_{MINOR_VERSION}.json"
)
ROOM_KEYS = (
    "aircon_power",
    "in_window",
    "off_repeat_pending",
    "run_tick",
    "thermostat",
    "season",
    "polling_mode",
    "last_tick",
    "next_tick",
    "poll_interval",
    "last_outcome",
    "temperature",
    "humidity",
    "automation",
)


@asynccontextmanager
async def async_started_on(
    hass_storage: dict[str, Any], simulator: SwitchBotSimulator
) -> AsyncIterator[HomeAssistant]:
    """Start Home Assistant on release 0.1's files, its entry pointing at ``simulator``."""
    stored = json.loads(STORED.read_text())
    for entry in stored["core.config_entries"]["data"]["entries"]:
        entry["data"]["api_url"] = simulator.url
    hass_storage.update(stored)
    async with async_test_home_assistant() as hass:
        frame.async_setup(hass)
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)  # as ``enable_custom_integrations``
        # The test Home Assistant starts with empty registries: read the stored ones.
        await dr.async_get(hass).async_load()
        await er.async_get(hass).async_load()
        await hass.config_entries.async_initialize()
        try:
            yield hass
        finally:
            await hass.async_stop(force=True)


async def test_an_entry_of_release_0_1_upgrades_in_place(
    hass_storage: dict[str, Any],
    simulator: SwitchBotSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Same entity ids, same state: the pending OFF repeats go on, nothing is sent twice."""
    before = {
        item["unique_id"]: item["entity_id"]
        for item in json.loads(STORED.read_text())["core.entity_registry"]["data"]["entities"]
    }
    freezer.move_to(START + timedelta(seconds=20))
    set_room(simulator, 23.5)  # still warm: the OFF stands
    async with async_started_on(hass_storage, simulator) as hass:
        assert await hass.config_entries.async_setup(ENTRY_ID)
        await hass.async_block_till_done()
        entry = hass.config_entries.async_get_known_entry(ENTRY_ID)
        assert entry.state is ConfigEntryState.LOADED
        assert entry.version == 2

        # The account keeps the budget and the warning; the room everything else.
        assert set(entry.options) == {"daily_call_budget", "api_quota_warning_threshold"}
        (room,) = entry.subentries.values()
        assert (room.subentry_id, room.subentry_type) == (ENTRY_ID, SUBENTRY_ROOM)
        assert room.unique_id == AC_REMOTE_ID
        assert room.data["aircon_device_id"] == AC_REMOTE_ID
        assert room.data["off_repeat_count"] == 3
        assert "daily_call_budget" not in room.data

        # Every entity keeps its unique id and its entity id (and so its history); the
        # room's are in the room's subentry, the calls today on the account's device.
        entities = er.async_get(hass)
        after = {
            entity.unique_id: entity
            for entity in er.async_entries_for_config_entry(entities, ENTRY_ID)
        }
        assert {key: entity.entity_id for key, entity in after.items() if key in before} == before
        for key in ROOM_KEYS:
            assert after[f"{ENTRY_ID}_{key}"].config_subentry_id == ENTRY_ID, key
        calls = after[f"{ENTRY_ID}_api_calls_today"]
        assert calls.config_subentry_id is None
        devices = dr.async_get(hass)
        account_device = devices.async_get(calls.device_id)
        assert account_device is not None
        assert account_device.identifiers == {(DOMAIN, f"{ENTRY_ID}_account")}
        room_device = devices.async_get_device(identifiers={(DOMAIN, ENTRY_ID)})
        assert room_device is not None
        assert room_device.name == "SwitchBot Automation"
        assert room_device.config_entries_subentries == {ENTRY_ID: {ENTRY_ID}}
        assert after[f"{ENTRY_ID}_thermostat"].device_id == room_device.id

        # The stored state carried over: the unit is off, two repeats were pending.
        assert hass.states.get("binary_sensor.switchbot_automation_off_repeat_pending").state == (
            "on"
        )
        assert [c.command for c in simulator.commands_sent(AC_REMOTE_ID)] == []
        freezer.move_to(START + timedelta(seconds=80))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        freezer.move_to(START + timedelta(seconds=140))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        assert [c.command for c in simulator.commands_sent(AC_REMOTE_ID)] == [
            "turnOff",
            "turnOff",
        ]
        assert hass.states.get("binary_sensor.switchbot_automation_off_repeat_pending").state == (
            "off"
        )
        assert hass.states.get("climate.switchbot_automation_thermostat").state == "heat"


async def test_an_entry_of_a_later_release_is_refused(
    hass: HomeAssistant, simulator: SwitchBotSimulator
) -> None:
    """A downgrade cannot read what a later release stored: the entry is left alone."""
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    entry = MockConfigEntry(domain=DOMAIN, version=3, data={"token": "t", "secret": "s"})
    assert not await async_migrate_entry(hass, entry)
