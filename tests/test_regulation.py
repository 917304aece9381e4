"""Regulation end to end: the simulator's room drives the commands, events and entities."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from switchbot_sim import (
    AC_REMOTE_ID,
    MODE_COOL,
    MODE_HEAT,
    SCENE_OFF_ID,
    SCENE_WINTER_ID,
    SwitchBotSimulator,
)
from tests.integration_support import (
    START,
    async_advance,
    async_setup_with,
    entity_state,
)

EVENT = "switchbot_automation_command"


def _commands(simulator: SwitchBotSimulator) -> list[tuple[datetime, str, str]]:
    return [
        (command.at, command.command, command.parameter)
        for command in simulator.commands_sent(AC_REMOTE_ID)
    ]


def _event(entry: MockConfigEntry, **data: object) -> dict[str, object]:
    return {
        "config_entry_id": entry.entry_id,
        "room_id": next(iter(entry.subentries)),
        "action": "off",
        "command": "turnOff",
        "parameter": "default",
        "scene_id": None,
        "repeat": False,
        **data,
    }


@dataclass(frozen=True)
class Season:
    """A season's regulation: the room temperature that starts it, the one that stops it."""

    name: str
    start_at: float
    stop_at: float
    on_parameter: str
    ac_mode: int

    @property
    def on_reason(self) -> str:
        return f"{self.name}_on"

    @property
    def off_reason(self) -> str:
        return f"{self.name}_off"


@pytest.mark.parametrize(
    "season",
    [
        Season("winter", start_at=18.0, stop_at=23.0, on_parameter="21,5,3,on", ac_mode=MODE_HEAT),
        Season("summer", start_at=28.0, stop_at=23.0, on_parameter="25,2,3,on", ac_mode=MODE_COOL),
    ],
    ids=lambda season: season.name,
)
async def test_season_regulation(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    season: Season,
) -> None:
    """Crossing the ON threshold sends one ON; crossing the other sends OFF and 2 repeats."""
    room = simulator.room
    room.ac_rate = 0.0  # the test moves the temperature itself
    room.outdoor = room.temperature = season.start_at
    events = async_capture_events(hass, EVENT)
    await async_setup_with(
        hass,
        mock_config_entry,
        mode=season.name,
        off_repeat_count=3,
        off_repeat_interval_seconds=10,
    )
    entry = mock_config_entry
    assert _commands(simulator) == [(START, "setAll", season.on_parameter)]
    assert simulator.ac_state.power
    assert simulator.ac_state.mode == season.ac_mode
    assert [event.data for event in events] == [
        _event(
            entry,
            action="on",
            command="setAll",
            parameter=season.on_parameter,
            reason=season.on_reason,
        )
    ]
    power = entity_state(hass, entry, "binary_sensor", "aircon_power")
    assert power.state == STATE_ON
    assert power.attributes["last_action"] == "on"
    assert power.attributes["last_action_at"] == START
    assert power.attributes["mode"] == season.ac_mode
    assert power.attributes["parameter"] == season.on_parameter
    assert entity_state(hass, entry, "sensor", "last_outcome").state == season.on_reason

    # Within the command cooldown (60 s by default) nothing is decided; then the AC is
    # known to be on with that setting already.
    await async_advance(hass, freezer, 15)
    assert entity_state(hass, entry, "sensor", "last_outcome").state == "cooldown"
    for _ in range(3):
        await async_advance(hass, freezer, 15)
    assert entity_state(hass, entry, "sensor", "last_outcome").state == "already_on"
    assert len(_commands(simulator)) == 1  # sent once

    room.outdoor = room.temperature = season.stop_at
    await async_advance(hass, freezer, 15)
    off_at = START + timedelta(seconds=75)
    assert _commands(simulator)[1:] == [(off_at, "turnOff", "default")]
    assert entity_state(hass, entry, "sensor", "last_outcome").state == season.off_reason
    assert entity_state(hass, entry, "binary_sensor", "aircon_power").state == STATE_OFF
    pending = entity_state(hass, entry, "binary_sensor", "off_repeat_pending")
    assert pending.state == STATE_ON
    assert pending.attributes["remaining"] == 2
    assert pending.attributes["next_run_at"] == off_at + timedelta(seconds=10)
    assert entity_state(hass, entry, "sensor", "polling_mode").state == "pending_off_repeat"
    assert entity_state(hass, entry, "sensor", "poll_interval").state == "10"

    for _ in range(3):
        await async_advance(hass, freezer, 10)
    assert _commands(simulator)[1:] == [
        (off_at + timedelta(seconds=seconds), "turnOff", "default") for seconds in (0, 10, 20)
    ]
    assert [event.data for event in events[1:]] == [
        _event(entry, reason=season.off_reason, repeat=repeat) for repeat in (False, True, True)
    ]
    assert entity_state(hass, entry, "binary_sensor", "off_repeat_pending").state == STATE_OFF
    assert entity_state(hass, entry, "sensor", "polling_mode").state == "in_window"
    assert not simulator.ac_state.power


async def test_scenes_are_used_when_set(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
) -> None:
    simulator.room.ac_rate = 0.0
    simulator.room.outdoor = simulator.room.temperature = 18.0
    events = async_capture_events(hass, EVENT)
    scenes = {"winter": SCENE_WINTER_ID, "summer": "", "fan": "", "off": SCENE_OFF_ID}
    await async_setup_with(hass, mock_config_entry, aircon_scenes=scenes)
    assert [run.scene_id for run in simulator.account.scene_runs] == [SCENE_WINTER_ID]
    assert events[0].data == _event(
        mock_config_entry,
        action="on",
        command="scene",
        parameter=None,
        scene_id=SCENE_WINTER_ID,
        reason="winter_on",
    )
    assert _commands(simulator) == []


async def test_aircon_power_is_unknown_until_known(
    hass: HomeAssistant, simulator: SwitchBotSimulator, mock_config_entry: MockConfigEntry
) -> None:
    simulator.room.outdoor = simulator.room.temperature = 20.5
    await async_setup_with(hass, mock_config_entry)
    power = entity_state(hass, mock_config_entry, "binary_sensor", "aircon_power")
    assert power.state == STATE_UNKNOWN
    assert power.attributes["last_action"] is None
    assert entity_state(hass, mock_config_entry, "sensor", "temperature").state == "20.5"
    assert entity_state(hass, mock_config_entry, "sensor", "humidity").state == "45.0"
