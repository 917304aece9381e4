"""A device or its hub offline (statusCode 161 / 171): reported, retried, nothing lost.

An OFF repeat pending when the hub goes offline is kept, as many left, and sent once the
hub is back: the original dashboard's "a failed repeat clears the task" would leave the AC
running whenever the first OFF was lost and the hub then dropped out (the very case the
repeats exist for). Only a command the cloud refuses (151, 152, 160, 190) still drops them.
A quick off that could not be sent is left to the ticks the same way.
"""

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.switchbot_automation.const import DOMAIN
from switchbot_sim import AC_REMOTE_ID, HUB_ID, METER_ID, Fault, SwitchBotSimulator
from tests.integration_support import START, async_advance, async_setup_with, entity_state

from .support import (
    COLD,
    COMMAND_PATH,
    STATUS_PATH,
    STEADY_POLLING,
    WARM,
    commands,
    requests_at,
    sensor,
    set_room,
    stored,
)

TURN_OFF = "turnOff", "default"


def _after(seconds: int) -> str:
    return (START + timedelta(seconds=seconds)).isoformat()


@pytest.mark.parametrize("offline", [METER_ID, HUB_ID], ids=["meter-161", "hub-171"])
async def test_meter_or_hub_offline(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    *,
    hass_storage: dict[str, Any],
    offline: str,
) -> None:
    """No reading: ``device_offline`` each tick, the AC still known on; then the OFF."""
    entry = mock_config_entry
    set_room(simulator, COLD)
    await async_setup_with(hass, entry, **STEADY_POLLING)
    assert len(commands(simulator)) == 1
    simulator.set_online(offline, online=False)
    set_room(simulator, WARM)

    for n in range(1, 5):
        await async_advance(hass, freezer, 15)
        assert sensor(hass, entry, "last_outcome") == "device_offline"
        assert sensor(hass, entry, "last_tick") == _after(15 * n)
        assert sensor(hass, entry, "next_tick") == _after(15 * (n + 1))
    assert stored(hass_storage, entry)["assumed_power"] is True
    assert entity_state(hass, entry, "binary_sensor", "aircon_power").state == STATE_ON
    assert requests_at(simulator, STATUS_PATH) == [
        START + timedelta(seconds=15 * n) for n in range(5)
    ]

    simulator.set_online(offline, online=True)
    await async_advance(hass, freezer, 15)
    assert sensor(hass, entry, "last_outcome") == "winter_off"
    assert commands(simulator)[1:] == [(START + timedelta(seconds=75), *TURN_OFF)]
    assert stored(hass_storage, entry)["assumed_power"] is False


async def test_ac_offline_the_off_is_decided_again_each_tick(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    entry = mock_config_entry
    set_room(simulator, COLD)
    await async_setup_with(hass, entry, **STEADY_POLLING)
    simulator.set_online(AC_REMOTE_ID, online=False)
    set_room(simulator, WARM)

    for _ in range(3):
        await async_advance(hass, freezer, 15)
        assert sensor(hass, entry, "last_outcome") == "device_offline"
    assert requests_at(simulator, COMMAND_PATH, "POST") == [
        START + timedelta(seconds=15 * n) for n in range(4)
    ]  # the ON, then one OFF attempt a tick
    assert stored(hass_storage, entry)["assumed_power"] is True

    simulator.set_online(AC_REMOTE_ID, online=True)
    await async_advance(hass, freezer, 15)
    assert commands(simulator)[1:] == [(START + timedelta(seconds=60), *TURN_OFF)]


async def test_off_repeat_pending_when_the_hub_goes_offline(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    entry = mock_config_entry
    set_room(simulator, WARM)
    await async_setup_with(
        hass, entry, **STEADY_POLLING, off_repeat_count=3, off_repeat_interval_seconds=10
    )
    assert commands(simulator) == [(START, *TURN_OFF)]
    simulator.set_online(HUB_ID, online=False)

    # Each tick tries the repeat once and stops there; the next one is a base interval on.
    attempts = [10, 25, 40, 55]
    for previous, seconds in zip([0, *attempts], attempts, strict=False):
        await async_advance(hass, freezer, seconds - previous)
        assert sensor(hass, entry, "last_tick") == _after(seconds)
        assert sensor(hass, entry, "last_outcome") == "device_offline"
        assert sensor(hass, entry, "polling_mode") == "pending_off_repeat"
        repeat = stored(hass_storage, entry)["off_repeat"]
        assert (repeat["remaining"], repeat["next_run_at"]) == (2, _after(seconds + 15))
        pending = entity_state(hass, entry, "binary_sensor", "off_repeat_pending")
        assert (pending.state, pending.attributes["remaining"]) == (STATE_ON, 2)
    assert requests_at(simulator, COMMAND_PATH, "POST") == [
        START + timedelta(seconds=seconds) for seconds in [0, *attempts]
    ]
    assert requests_at(simulator, STATUS_PATH) == [START]  # the tick ends at the failed repeat

    simulator.set_online(HUB_ID, online=True)
    await async_advance(hass, freezer, 15)
    await async_advance(hass, freezer, 10)
    assert commands(simulator) == [
        (START + timedelta(seconds=seconds), *TURN_OFF) for seconds in (0, 70, 80)
    ]
    assert stored(hass_storage, entry)["off_repeat"] is None
    assert sensor(hass, entry, "polling_mode") == "in_window"


async def test_off_repeat_the_cloud_refuses_is_dropped(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """A refused command would be refused again: the repeats end, the tick goes on."""
    entry = mock_config_entry
    set_room(simulator, WARM)
    await async_setup_with(
        hass, entry, **STEADY_POLLING, off_repeat_count=3, off_repeat_interval_seconds=10
    )
    simulator.inject(Fault.status_code(160, "unknown command"), path=COMMAND_PATH)
    await async_advance(hass, freezer, 10)
    assert stored(hass_storage, entry)["off_repeat"] is None
    assert sensor(hass, entry, "last_outcome") == "already_off"
    assert requests_at(simulator, STATUS_PATH)[-1] == START + timedelta(seconds=10)


async def test_quick_off_while_the_hub_is_offline_is_sent_when_it_is_back(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """The user asked for the AC off: the failed OFF is left to the ticks, all its sends."""
    entry = mock_config_entry
    set_room(simulator, COLD)
    await async_setup_with(
        hass, entry, **STEADY_POLLING, off_repeat_count=2, off_repeat_interval_seconds=10
    )
    simulator.set_online(HUB_ID, online=False)
    with pytest.raises(HomeAssistantError, match="offline"):
        await hass.services.async_call(
            DOMAIN, "quick_off", {"config_entry_id": entry.entry_id}, blocking=True
        )
    await hass.async_block_till_done()
    assert entry.options["automation_enabled"] is False
    repeat = stored(hass_storage, entry)["off_repeat"]
    assert (repeat["remaining"], repeat["reason"]) == (2, "quick_off")
    assert stored(hass_storage, entry)["assumed_power"] is True  # not sent yet

    await async_advance(hass, freezer, 15)  # still offline
    assert sensor(hass, entry, "last_outcome") == "device_offline"
    simulator.set_online(HUB_ID, online=True)
    for _ in range(2):
        await async_advance(hass, freezer, 15)
    assert [command for _, command, _ in commands(simulator)] == ["setAll", "turnOff", "turnOff"]
    assert stored(hass_storage, entry)["off_repeat"] is None
    assert stored(hass_storage, entry)["assumed_power"] is False


async def test_quick_off_the_cloud_refuses_is_not_retried(
    hass: HomeAssistant,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    entry = mock_config_entry
    await async_setup_with(hass, entry, **STEADY_POLLING, off_repeat_count=2)
    simulator.inject(Fault.status_code(152, "device not found"), path=COMMAND_PATH)
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call(
            DOMAIN, "quick_off", {"config_entry_id": entry.entry_id}, blocking=True
        )
    await hass.async_block_till_done()
    assert stored(hass_storage, entry)["off_repeat"] is None
