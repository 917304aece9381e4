"""Home Assistant entities as inputs: a sensor as the thermometer, ticks on its changes, the
meter as its fallback, stale sensors, and window contacts pausing regulation."""

import asyncio
from datetime import timedelta
import itertools
from typing import Any
from unittest.mock import patch

from homeassistant.const import (
    ATTR_UNIT_OF_MEASUREMENT,
    STATE_UNAVAILABLE,
    UnitOfTemperature,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest

from custom_components.switchbot_automation import coordinator as coordinator_module
from custom_components.switchbot_automation.const import DOMAIN
from custom_components.switchbot_automation.engine import DEFAULT_SETTINGS, SensorReading, Settings
from custom_components.switchbot_automation.entity_inputs import read_inputs
from switchbot_sim import METER_ID
from tests.integration_fixtures import ROOM_ID
from tests.integration_support import START, Home, entity_state

SENSOR = "sensor.living_room_temperature"
HUMIDITY = "sensor.living_room_humidity"
WINDOW = "binary_sensor.living_room_window"
CELSIUS = {ATTR_UNIT_OF_MEASUREMENT: UnitOfTemperature.CELSIUS}
METER_READS = f"/v1.1/devices/{METER_ID}/status"
HEAT = "21,5,3,on"
COOLDOWN = timedelta(seconds=DEFAULT_SETTINGS.command_cooldown_seconds)


def report(home: Home, value: str, attributes: dict[str, Any] | None = None) -> None:
    """Write the temperature sensor's state, as its integration does."""
    home.hass.states.async_set(SENSOR, value, CELSIUS if attributes is None else attributes)


async def set_up_with_sensor(home: Home, temperature: str = "18.0", **options: Any) -> None:
    """Set the entry up reading ``SENSOR`` (the cloud's room says 25 °C, never to be used)."""
    report(home, temperature)
    await home.set_up(25.0, temperature_entity_id=SENSOR, **options)


async def test_the_sensor_is_the_source_and_the_meter_is_never_read(home: Home) -> None:
    home.hass.states.async_set(HUMIDITY, "52", {ATTR_UNIT_OF_MEASUREMENT: "%"})
    await set_up_with_sensor(home, humidity_entity_id=HUMIDITY)
    assert home.commands() == [(START, "setAll", HEAT)]
    assert home.requests_at(METER_READS) == []
    assert home.sensor("temperature") == "18.0"
    assert home.sensor("humidity") == "52.0"
    assert home.sensor("polling_mode") == "on_change"
    # The next timer: the end of the ON's cooldown, when a held-back decision may go.
    assert home.sensor("poll_interval") == "61"


async def test_a_change_is_acted_on_at_once(home: Home) -> None:
    await set_up_with_sensor(home)
    await home.advance(90)  # past the cooldown of the ON
    report(home, "22.4")
    await home.hass.async_block_till_done(wait_background_tasks=True)
    assert home.commands()[1:] == [(START.replace(minute=31, second=30), "turnOff", "default")]
    assert home.sensor("last_outcome") == "winter_off"


async def test_a_storm_of_updates_runs_a_bounded_number_of_ticks(home: Home) -> None:
    """Ten updates a second for a minute: one tick every 5 seconds at most (and the one of the
    cooldown's end), no command closer than the cooldown."""
    await set_up_with_sensor(home, "20.0")
    runs = 0
    real_run_tick = coordinator_module.run_tick

    async def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal runs
        runs += 1
        return await real_run_tick(*args, **kwargs)

    with patch.object(coordinator_module, "run_tick", counted):
        for step in range(600):
            report(home, "18.0" if step % 20 < 10 else "22.5")
            await home.advance(0.1)
    assert runs <= 1 + 60 / 5 + 1
    # ON and OFF alternate, never closer than the 60-second cooldown.
    sent = [instant for instant, _command, _parameter in home.commands()]
    assert 1 <= len(sent) <= 60 / 60 + 1
    assert all(later - earlier >= COOLDOWN for earlier, later in itertools.pairwise(sent))


async def test_a_change_during_a_tick_is_acted_on_within_the_cooldown(home: Home) -> None:
    """The debouncer is busy with the tick: the change it drops is the next tick's."""
    await set_up_with_sensor(home, "20.0")
    await home.advance(90)
    real_run_tick = coordinator_module.run_tick

    async def changed_meanwhile(*args: Any, **kwargs: Any) -> Any:
        # After the tick read its inputs, while it waits (as for a command's answer).
        report(home, "18.0")
        await asyncio.sleep(0)
        return await real_run_tick(*args, **kwargs)

    with patch.object(coordinator_module, "run_tick", changed_meanwhile):
        report(home, "20.1")
        await home.hass.async_block_till_done(wait_background_tasks=True)
    assert home.sensor("last_outcome") == "no_action"
    assert home.sensor("poll_interval") == "5"
    await home.advance(5)
    assert home.sensor("last_outcome") == "winter_on"


async def test_the_meter_stands_in_while_the_sensor_is_unavailable(home: Home) -> None:
    report(home, STATE_UNAVAILABLE)
    await home.set_up(20.0, temperature_entity_id=SENSOR)
    assert home.requests_at(METER_READS) == [START]
    assert home.sensor("temperature") == "20.0"
    assert home.sensor("polling_mode") == "in_window"
    report(home, "18.0")
    await home.hass.async_block_till_done(wait_background_tasks=True)
    assert home.sensor("polling_mode") == "on_change"
    assert home.commands() == [(START, "setAll", HEAT)]
    assert home.requests_at(METER_READS) == [START]


async def test_fahrenheit_is_converted(home: Home) -> None:
    report(home, "64.4", {ATTR_UNIT_OF_MEASUREMENT: UnitOfTemperature.FAHRENHEIT})
    await home.set_up(25.0, temperature_entity_id=SENSOR, meter_device_id="")
    assert home.sensor("temperature") == "18.0"
    assert home.commands() == [(START, "setAll", HEAT)]


async def test_a_silent_sensor_ends_in_the_fail_safe_off(home: Home) -> None:
    await set_up_with_sensor(home, meter_device_id="")
    for _ in range(30):
        await home.advance(60)
    assert home.sensor("last_outcome") == "already_on"
    await home.advance(62)
    assert home.sensor("last_outcome") == "stale_reading_off"
    assert [command for _at, command, _parameter in home.commands()] == ["setAll", "turnOff"]
    assert home.state("sensor", "temperature") == STATE_UNAVAILABLE


async def test_a_state_that_is_not_a_number_is_no_reading(home: Home) -> None:
    """No reading at all while the unit may run: the fail-safe OFF at once, as with a meter."""
    await set_up_with_sensor(home, "warm", meter_device_id="")
    assert home.sensor("last_outcome") == "stale_reading_off"
    assert home.commands() == [(START, "turnOff", "default")]


async def test_an_open_window_turns_the_unit_off_then_regulation_resumes(home: Home) -> None:
    home.hass.states.async_set(WINDOW, "off")
    await set_up_with_sensor(home, window_entity_ids=[WINDOW])
    await home.advance(100)
    home.hass.states.async_set(WINDOW, "on")
    await home.hass.async_block_till_done(wait_background_tasks=True)
    assert len(home.commands()) == 1
    thermostat = ("climate", "thermostat")
    await home.advance(61)
    opened_at = START.replace(minute=32, second=41)
    assert home.commands()[1:] == [(opened_at, "turnOff", "default")]
    assert home.sensor("last_outcome") == "window_open"
    assert entity_state(home.hass, home.entry, *thermostat).attributes["paused_by_open_window"]
    await home.advance(300)
    assert len(home.commands()) == 2  # paused: no ON while the window is open
    home.hass.states.async_set(WINDOW, "off")
    await home.hass.async_block_till_done(wait_background_tasks=True)
    assert [command for _at, command, _parameter in home.commands()] == [
        "setAll",
        "turnOff",
        "setAll",
    ]
    assert not entity_state(home.hass, home.entry, *thermostat).attributes["paused_by_open_window"]


async def test_a_contact_pauses_a_room_measured_by_the_cloud_meter(home: Home) -> None:
    """Without a sensor entity: the tick lands when the delay ends, and the OFF goes."""
    home.hass.states.async_set(WINDOW, "off")
    await home.set_up(18.0, window_entity_ids=[WINDOW], window_open_delay_seconds=30)
    assert home.commands() == [(START, "setAll", HEAT)]
    await home.advance(3)
    home.hass.states.async_set(WINDOW, "on")
    await home.hass.async_block_till_done(wait_background_tasks=True)
    await home.advance(31)
    assert home.commands()[1:] == [(START.replace(second=34), "turnOff", "default")]
    assert home.sensor("last_outcome") == "window_open"


@pytest.mark.parametrize(
    ("options", "system_options"),
    [({"daily_call_budget": 10}, None), ({}, {"pref_disable_polling": True})],
    ids=["budget spent", "polling disabled"],
)
async def test_changes_run_no_tick_once_the_budget_is_spent_or_polling_disabled(
    home: Home, options: dict[str, Any], system_options: dict[str, bool] | None
) -> None:
    report(home, "20.0")
    await home.set_up(25.0, system_options=system_options, temperature_entity_id=SENSOR, **options)
    last_tick = home.sensor("last_tick")
    await home.advance(1)
    report(home, "18.0")
    await home.hass.async_block_till_done(wait_background_tasks=True)
    assert home.sensor("last_tick") == last_tick


@pytest.mark.parametrize(
    ("state", "attributes"),
    [
        ("nan", CELSIUS),
        ("21", {ATTR_UNIT_OF_MEASUREMENT: "%"}),
        (STATE_UNAVAILABLE, CELSIUS),
    ],
)
async def test_unusable_states_give_no_reading(
    hass: HomeAssistant, state: str, attributes: dict[str, Any]
) -> None:
    settings = Settings(temperature_entity_id=SENSOR)
    assert read_inputs(hass, settings).reading is None
    hass.states.async_set(SENSOR, state, attributes)
    assert read_inputs(hass, settings).reading is None


async def test_a_sensor_without_a_unit_is_read_in_celsius(hass: HomeAssistant) -> None:
    settings = Settings(temperature_entity_id=SENSOR, humidity_entity_id=HUMIDITY)
    hass.states.async_set(SENSOR, "20.5")
    hass.states.async_set(HUMIDITY, STATE_UNAVAILABLE)
    state = hass.states.get(SENSOR)
    assert state is not None
    assert read_inputs(hass, settings).reading == SensorReading(20.5, None, state.last_reported)


# --- The unit's real power -------------------------------------------------------------------

PLUG = "binary_sensor.air_conditioner_running"


async def test_a_lost_on_is_sent_again_then_reported(home: Home) -> None:
    """The power sensor never sees the unit run: two re-sends, then the commands are held."""
    home.hass.states.async_set(PLUG, "off")
    await set_up_with_sensor(home, power_entity_id=PLUG)
    assert home.commands() == [(START, "setAll", HEAT)]
    for _ in range(3):
        await home.advance(121)
    assert [command for _at, command, _parameter in home.commands()] == ["setAll"] * 3
    assert home.sensor("last_outcome") == "command_not_taken"
    issues = ir.async_get(home.hass)
    assert issues.async_get_issue(DOMAIN, f"{ROOM_ID}_command_not_taken")
    # Switched on by hand: seen as it is, the commands go again.
    home.hass.states.async_set(PLUG, "on")
    await home.hass.async_block_till_done(wait_background_tasks=True)
    assert not issues.async_get_issue(DOMAIN, f"{ROOM_ID}_command_not_taken")
    assert home.state("binary_sensor", "aircon_power") == "on"


async def test_forgetting_the_assumed_power_tries_the_commands_again(home: Home) -> None:
    home.hass.states.async_set(PLUG, "off")
    await set_up_with_sensor(home, power_entity_id=PLUG)
    for _ in range(3):
        await home.advance(121)
    assert home.sensor("last_outcome") == "command_not_taken"
    await home.call("forget_assumed_power")
    await home.use("button", "run_tick", "press")
    assert home.sensor("last_outcome") == "winter_on"


@pytest.mark.parametrize(
    ("entity", "state", "attributes", "power"),
    [
        ("binary_sensor.running", "on", {}, True),
        ("binary_sensor.running", "off", {}, False),
        ("binary_sensor.running", STATE_UNAVAILABLE, {}, None),
        ("sensor.plug_power", "12", {ATTR_UNIT_OF_MEASUREMENT: "W"}, True),
        ("sensor.plug_power", "9.9", {}, False),
        ("sensor.plug_power", "0.05", {ATTR_UNIT_OF_MEASUREMENT: "kW"}, True),
        ("sensor.plug_power", "50", {ATTR_UNIT_OF_MEASUREMENT: "°C"}, None),
    ],
)
async def test_the_power_entity_says_whether_the_unit_runs(
    hass: HomeAssistant, entity: str, state: str, attributes: dict[str, Any], power: bool | None
) -> None:
    hass.states.async_set(entity, state, attributes)
    assert read_inputs(hass, Settings(power_entity_id=entity)).power is power
    assert read_inputs(hass, Settings()).power is None
