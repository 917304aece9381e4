"""Several rooms on one SwitchBot account, as a user has them.

The ``mock_config_entry``'s room (the simulator's default room) and a bedroom added to the
simulator's account, with its own meter and air conditioner: both regulate, on one client,
one device list and one call counter, their ticks take turns, and the actions and events
name the room.
"""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.switchbot_automation import coordinator as coordinator_module
from custom_components.switchbot_automation.const import DOMAIN
from custom_components.switchbot_automation.store import storage_key
from switchbot_sim import AC_REMOTE_ID, Fault, RoomDevices, SwitchBotSimulator
from tests.integration_fixtures import ENTRY_ID, EVENING, ROOM_ID
from tests.integration_support import (
    START,
    async_advance,
    async_setup_with,
    async_spin_until,
    room_with_devices,
    set_room,
    update_options,
)

BEDROOM_ID = "bedroom_room_id"


@pytest.fixture
def entry_options(entry_options: dict[str, Any]) -> dict[str, Any]:
    """The fixture's options, without a cooldown: each tick may act."""
    return {**entry_options, "command_cooldown_seconds": 0}


@pytest.fixture
def bedroom(simulator: SwitchBotSimulator) -> RoomDevices:
    """A second room of the simulator's account: its own meter, hub and air conditioner."""
    added = simulator.account.add_room(name="Bedroom")
    added.room.ac_rate = 0.0
    added.room.outdoor = added.room.temperature = 17.0  # cold: the heating goes on
    return added


def bedroom_subentry(entry_options: dict[str, Any], bedroom: RoomDevices) -> ConfigSubentry:
    """The bedroom as a room of the entry: the fixture's options, its own meter and unit."""
    return room_with_devices(entry_options, bedroom, subentry_id=BEDROOM_ID)


@pytest.fixture
async def two_rooms(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    entry_options: dict[str, Any],
    bedroom: RoomDevices,
) -> MockConfigEntry:
    """The entry with its room and the bedroom, set up: each room's first tick has run."""
    set_room(simulator, 18.0)  # the living room is cold too
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_add_subentry(
        mock_config_entry, bedroom_subentry(entry_options, bedroom)
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry


def _entity(hass: HomeAssistant, platform: str, room_id: str, key: str) -> str:
    found = er.async_get(hass).async_get_entity_id(platform, DOMAIN, f"{room_id}_{key}")
    assert found is not None, (room_id, key)
    return found


def _state(hass: HomeAssistant, platform: str, room_id: str, key: str) -> str:
    state = hass.states.get(_entity(hass, platform, room_id, key))
    assert state is not None
    return state.state


def _commands(simulator: SwitchBotSimulator, remote_id: str) -> list[str]:
    return [command.command for command in simulator.commands_sent(remote_id)]


async def test_both_rooms_regulate_on_one_client_and_one_counter(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    bedroom: RoomDevices,
    two_rooms: MockConfigEntry,
) -> None:
    # Each room heated its own room, through its own air conditioner.
    assert _commands(simulator, AC_REMOTE_ID) == ["setAll"]
    assert _commands(simulator, bedroom.ac_remote_id) == ["setAll"]
    assert simulator.account.room.ac.power
    assert bedroom.room.ac.power
    # Each has its own thermostat, named after the room; both heat.
    assert _entity(hass, "climate", BEDROOM_ID, "thermostat") == "climate.bedroom_thermostat"
    assert _state(hass, "climate", BEDROOM_ID, "thermostat") == "heat"
    assert _state(hass, "climate", ROOM_ID, "thermostat") == "heat"
    assert _state(hass, "sensor", BEDROOM_ID, "temperature") == "17.0"
    assert _state(hass, "sensor", ROOM_ID, "temperature") == "18.0"
    # One device list for the account; one counter: the account's sensor counts every call.
    lists = [request for request in simulator.requests if request.path == "/v1.1/devices"]
    assert len(lists) == 1
    calls = hass.states.get("sensor.switchbot_account_api_calls_today")
    assert calls is not None
    assert calls.state == str(len(simulator.requests)) == "5"  # list, 2 reads, 2 commands
    assert hass.states.get("sensor.switchbot_account_quota").state == "ok"
    # The bedroom's devices belong to its subentry, under its own automation device.
    devices = dr.async_get(hass)
    bedroom_device = devices.async_get_device(identifiers={(DOMAIN, BEDROOM_ID)})
    assert bedroom_device is not None
    assert bedroom_device.name == "Bedroom"
    assert bedroom_device.config_entries_subentries == {ENTRY_ID: {BEDROOM_ID}}
    meter = devices.async_get_device(identifiers={(DOMAIN, bedroom.meter_id)})
    assert meter is not None
    assert meter.config_entries_subentries == {ENTRY_ID: {BEDROOM_ID}}
    thermostat = er.async_get(hass).async_get(_entity(hass, "climate", BEDROOM_ID, "thermostat"))
    assert thermostat is not None
    assert thermostat.config_subentry_id == BEDROOM_ID


async def test_events_and_the_tick_answer_name_the_room(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    bedroom: RoomDevices,
    two_rooms: MockConfigEntry,
) -> None:
    events = async_capture_events(hass, f"{DOMAIN}_command")
    simulator.account.room.outdoor = simulator.account.room.temperature = 23.5
    bedroom.room.outdoor = bedroom.room.temperature = 23.5
    answer = await hass.services.async_call(
        DOMAIN,
        "run_tick",
        {"config_entry_id": two_rooms.entry_id},
        blocking=True,
        return_response=True,
    )
    assert answer is not None
    rooms: list[dict[str, Any]] = answer["rooms"]  # type: ignore[assignment]
    assert [(room["room_id"], room["room"], room["outcome"]) for room in rooms] == [
        (ROOM_ID, "SwitchBot Automation", "winter_off"),
        (BEDROOM_ID, "Bedroom", "winter_off"),
    ]
    assert "outcome" not in answer  # several rooms: no answer at the top level
    assert sorted((event.data["room_id"], event.data["action"]) for event in events) == [
        (BEDROOM_ID, "off"),
        (ROOM_ID, "off"),
    ]


async def test_actions_act_on_the_room_of_the_device(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    bedroom: RoomDevices,
    two_rooms: MockConfigEntry,
) -> None:
    devices = dr.async_get(hass)
    bedroom_ac = devices.async_get_device(identifiers={(DOMAIN, bedroom.ac_remote_id)})
    assert bedroom_ac is not None
    await hass.services.async_call(
        DOMAIN,
        "quick_off",
        {"config_entry_id": two_rooms.entry_id, "device_id": bedroom_ac.id},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert _commands(simulator, bedroom.ac_remote_id) == ["setAll", "turnOff"]
    assert _commands(simulator, AC_REMOTE_ID) == ["setAll"]  # the other room is left alone
    assert two_rooms.subentries[BEDROOM_ID].data["automation_enabled"] is False
    assert two_rooms.subentries[ROOM_ID].data["automation_enabled"] is True
    assert _state(hass, "switch", BEDROOM_ID, "automation") == "off"

    # A device of no room is refused, with the room's error.
    other = devices.async_get_or_create(
        config_entry_id=two_rooms.entry_id, identifiers={("other", "device")}
    )
    with pytest.raises(ServiceValidationError) as refused:
        await hass.services.async_call(
            DOMAIN,
            "forget_assumed_power",
            {"config_entry_id": two_rooms.entry_id, "device_id": other.id},
            blocking=True,
        )
    assert refused.value.translation_key == "room_not_found"

    # Without a device: every room.
    await hass.services.async_call(
        DOMAIN, "quick_off", {"config_entry_id": two_rooms.entry_id}, blocking=True
    )
    assert _commands(simulator, AC_REMOTE_ID) == ["setAll", "turnOff"]
    assert _commands(simulator, bedroom.ac_remote_id) == ["setAll", "turnOff", "turnOff"]


@pytest.mark.parametrize("service", ["quick_off", "run_tick"])
async def test_a_room_s_failure_does_not_keep_the_other_rooms_from_acting(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    bedroom: RoomDevices,
    two_rooms: MockConfigEntry,
    service: str,
) -> None:
    """The living room's hub refuses: the bedroom's OFF is sent all the same, then the error."""
    simulator.account.room.outdoor = simulator.account.room.temperature = 23.5
    bedroom.room.outdoor = bedroom.room.temperature = 23.5  # warm: the tick turns it off
    simulator.inject(
        Fault.status_code(161, "device offline"), path=f"/v1.1/devices/{AC_REMOTE_ID}/commands"
    )
    with pytest.raises(Exception) as raised:  # noqa: PT011 - the outcome's translated error
        await hass.services.async_call(
            DOMAIN, service, {"config_entry_id": two_rooms.entry_id}, blocking=True
        )
    assert getattr(raised.value, "translation_key", None) == "device_offline"
    assert _commands(simulator, bedroom.ac_remote_id) == ["setAll", "turnOff"]


async def test_the_rooms_ticks_take_turns(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    bedroom: RoomDevices,
    two_rooms: MockConfigEntry,
) -> None:
    """While the living room's tick waits 5 s for its read, the bedroom's does not start."""
    running = 0
    most = 0
    real_run_tick = coordinator_module.run_tick

    async def probe(*args: Any, **kwargs: Any) -> Any:
        nonlocal running, most
        running += 1
        most = max(most, running)
        try:
            return await real_run_tick(*args, **kwargs)
        finally:
            running -= 1

    account = two_rooms.runtime_data
    living, bedroom_room = account.rooms[ROOM_ID], account.rooms[BEDROOM_ID]
    simulator.inject(Fault.delayed(5), path="/v1.1/devices/C2710AB1C0DE/status")
    with patch.object(coordinator_module, "run_tick", probe):
        ticks: list[Callable[[], Awaitable[Any]]] = [
            living.async_run_tick,
            bedroom_room.async_run_tick,
        ]
        tasks = [hass.async_create_task(tick()) for tick in ticks]
        await async_spin_until(lambda: running == 1)
        for _ in range(100):
            await asyncio.sleep(0)
        assert running == 1
        bedroom_reads = [
            request
            for request in simulator.requests
            if request.path == f"/v1.1/devices/{bedroom.meter_id}/status"
        ]
        assert len(bedroom_reads) == 1  # its set-up read only: its tick waits its turn
        freezer.tick(5)
        async_fire_time_changed(hass)
        await asyncio.gather(*tasks)
    assert most == 1


async def test_removing_a_room_removes_its_devices_entities_and_state(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    two_rooms: MockConfigEntry,
) -> None:
    (bedroom,) = simulator.account.added_rooms
    assert storage_key(BEDROOM_ID) in hass_storage
    assert hass.config_entries.async_remove_subentry(two_rooms, BEDROOM_ID)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert storage_key(BEDROOM_ID) not in hass_storage
    assert dr.async_get(hass).async_get_device(identifiers={(DOMAIN, BEDROOM_ID)}) is None
    assert (
        er.async_get(hass).async_get_entity_id("climate", DOMAIN, f"{BEDROOM_ID}_thermostat")
        is None
    )
    # The other room goes on.
    assert list(two_rooms.runtime_data.rooms) == [ROOM_ID]
    simulator.account.room.outdoor = simulator.account.room.temperature = 23.5
    await async_advance(hass, freezer, 15)
    assert _commands(simulator, AC_REMOTE_ID) == ["setAll", "turnOff"]
    assert _commands(simulator, bedroom.ac_remote_id) == ["setAll"]


async def test_a_room_added_to_a_running_account_regulates(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    setup_integration: MockConfigEntry,
    entry_options: dict[str, Any],
    bedroom: RoomDevices,
) -> None:
    entry = setup_integration
    hass.config_entries.async_add_subentry(entry, bedroom_subentry(entry_options, bedroom))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert set(entry.runtime_data.rooms) == {ROOM_ID, BEDROOM_ID}
    assert _commands(simulator, bedroom.ac_remote_id) == ["setAll"]
    assert _state(hass, "climate", BEDROOM_ID, "thermostat") == "heat"
    assert simulator.commands_sent(bedroom.ac_remote_id)[0].at >= START


async def test_the_account_s_options_apply_to_every_room_without_a_call(
    hass: HomeAssistant, simulator: SwitchBotSimulator, two_rooms: MockConfigEntry
) -> None:
    """A new budget reschedules at the rooms' next ticks: it is not worth a tick each."""
    requests = len(simulator.requests)
    hass.config_entries.async_update_entry(
        two_rooms, options={**two_rooms.options, "daily_call_budget": 5000}
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    account = two_rooms.runtime_data
    assert account.settings.daily_call_budget == 5000
    assert [room.settings.daily_call_budget for room in account.rooms.values()] == [5000, 5000]
    assert len(simulator.requests) == requests


async def test_a_room_s_scheduled_tick_waits_for_another_room_s_and_runs(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    two_rooms: MockConfigEntry,
) -> None:
    """The living room's manual tick reads slowly (10 s) when the bedroom's scheduled tick
    falls due: the bedroom's runs after it, not at its next interval (it would miss what that
    tick had to do). The living room's own scheduled tick, due meanwhile, is the manual one."""
    (bedroom,) = simulator.account.added_rooms
    bedroom_status = f"/v1.1/devices/{bedroom.meter_id}/status"
    living = two_rooms.runtime_data.rooms[ROOM_ID]
    await async_advance(hass, freezer, 10)
    simulator.inject(Fault.delayed(10), path="/v1.1/devices/C2710AB1C0DE/status")
    manual = hass.async_create_task(living.async_run_tick())
    await async_spin_until(two_rooms.runtime_data.tick_lock.locked)
    freezer.tick(5)  # 06:30:15: both rooms' scheduled ticks are due
    async_fire_time_changed(hass)
    for _ in range(100):
        await asyncio.sleep(0)
    assert [request.at for request in simulator.requests if request.path == bedroom_status] == [
        START
    ]
    freezer.tick(5)  # 06:30:20: the slow read is answered
    async_fire_time_changed(hass)
    await manual
    await hass.async_block_till_done(wait_background_tasks=True)
    reads = [request.at for request in simulator.requests if request.path == bedroom_status]
    assert reads == [START, START + timedelta(seconds=20)]
    living_reads = [
        request.at for request in simulator.requests if request.path.endswith("C0DE/status")
    ]
    assert len(living_reads) == 2  # set-up, and the manual tick: its scheduled one was that


async def test_a_renamed_room_renames_its_device(
    hass: HomeAssistant, two_rooms: MockConfigEntry
) -> None:
    bedroom = two_rooms.subentries[BEDROOM_ID]
    hass.config_entries.async_update_subentry(two_rooms, bedroom, title="Guest room")
    await hass.async_block_till_done(wait_background_tasks=True)
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, BEDROOM_ID)})
    assert device is not None
    assert device.name == "Guest room"
    # The entity ids made from the old name stay (and so does their history).
    assert _entity(hass, "climate", BEDROOM_ID, "thermostat") == "climate.bedroom_thermostat"


@pytest.mark.parametrize(
    ("options", "state"),
    [
        ({"daily_call_budget": 0, "api_quota_warning_threshold": 250}, "ok"),
        ({"daily_call_budget": 0, "api_quota_warning_threshold": 9_999}, "low"),
        ({"daily_call_budget": 100, "api_quota_warning_threshold": 250}, "budget_limited"),
    ],
)
async def test_the_account_s_quota_state(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    options: dict[str, int],
    state: str,
) -> None:
    """A budget of 100 cannot pay a read every 15 s for the day: the rooms are stretched."""
    await async_setup_with(hass, mock_config_entry, **options)
    quota = hass.states.get("sensor.switchbot_account_quota")
    assert quota is not None
    assert quota.state == state
    limited = _state(hass, "sensor", ROOM_ID, "polling_mode") == "budget_limited"
    assert limited is (state == "budget_limited")


@pytest.mark.parametrize("refused", [False, True])
async def test_a_room_giving_way_shows_it_from_set_up(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    entry_options: dict[str, Any],
    bedroom: RoomDevices,
    *,
    refused: bool,
) -> None:
    """A budget under what the living room wants in its window stretches the bedroom too,
    outside its windows (alone, 600 calls would not): its polling mode says so from set-up,
    even when its first tick was refused (no tick ran: the mode counts the other rooms)."""
    set_room(simulator, 18.0)
    mock_config_entry.add_to_hass(hass)
    update_options(hass, mock_config_entry, {"daily_call_budget": 600})
    hass.config_entries.async_add_subentry(
        mock_config_entry,
        room_with_devices(
            {**entry_options, "time_windows": [EVENING]}, bedroom, subentry_id=BEDROOM_ID
        ),
    )
    if refused:
        simulator.inject(Fault.http(401), path=f"/v1.1/devices/{bedroom.meter_id}/status")
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    flows = [flow["context"]["source"] for flow in hass.config_entries.flow.async_progress()]
    assert flows == (["reauth"] if refused else [])
    assert _state(hass, "sensor", ROOM_ID, "polling_mode") == "budget_limited"
    assert _state(hass, "sensor", BEDROOM_ID, "polling_mode") == "budget_limited"
