"""The thermostat (climate entity): modes, range, fan, what the unit does, and how it agrees
with the switch, the select and the options; the run_tick action's response."""

from datetime import timedelta
import re
from typing import Any
from unittest.mock import patch

from homeassistant.components.climate import (
    DOMAIN as CLIMATE_DOMAIN,
    SERVICE_SET_FAN_MODE,
    SERVICE_SET_HVAC_MODE,
    SERVICE_SET_TEMPERATURE,
)
from homeassistant.components.select import SERVICE_SELECT_OPTION
from homeassistant.const import (
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import State
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from syrupy.assertion import SnapshotAssertion

from custom_components.switchbot_automation.const import DOMAIN
from switchbot_sim import METER_ID, Fault
from tests.integration_fixtures import ROOM_ID, ROOM_TITLE
from tests.integration_support import START, Home, entity_id
from tests.package.support import EN, FR

STATUS_PATH = f"/v1.1/devices/{METER_ID}/status"
CLIMATE = "custom_components.switchbot_automation.climate"


def _thermostat(home: Home) -> State:
    state = home.hass.states.get(entity_id(home.hass, home.entry, CLIMATE_DOMAIN, "thermostat"))
    assert state is not None
    return state


async def _use(home: Home, service: str, **data: Any) -> None:
    """Call a climate service on the thermostat, as its card does."""
    await home.use(CLIMATE_DOMAIN, "thermostat", service, **data)


def _agreement(home: Home) -> tuple[str, str, str]:
    """The thermostat's mode, the automation switch and the season select."""
    return (
        _thermostat(home).state,
        home.state("switch", "automation"),
        home.state("select", "season"),
    )


def _range(home: Home) -> tuple[float, float]:
    attributes = _thermostat(home).attributes
    return attributes["target_temp_low"], attributes["target_temp_high"]


# --- State ---------------------------------------------------------------------------------


async def test_state_after_set_up(home: Home, snapshot: SnapshotAssertion) -> None:
    """Heat with the winter range, the reading, the unit's power unknown, the next window."""
    await home.set_up()
    assert _thermostat(home) == snapshot(name="set-up")


async def test_state_while_heating(home: Home, snapshot: SnapshotAssertion) -> None:
    await home.set_up(18.0)
    assert home.sensor("last_outcome") == "winter_on"
    assert _thermostat(home) == snapshot(name="heating")


async def test_without_a_reading_the_temperature_is_unknown(home: Home) -> None:
    await home.set_up(meter_device_id="")
    attributes = _thermostat(home).attributes
    assert attributes["current_temperature"] is None
    assert "current_humidity" not in attributes  # Home Assistant leaves out an unknown one


async def test_a_stale_reading_shows_no_current_temperature(home: Home) -> None:
    """Like the temperature sensor, which becomes unavailable; the thermostat stays usable."""
    await home.set_up(18.0)
    home.simulator.set_online(METER_ID, online=False)
    await home.advance_to(START + timedelta(minutes=30, seconds=15))
    assert home.sensor("last_outcome") == "stale_reading_off"
    thermostat = _thermostat(home)
    assert thermostat.state == "heat"
    assert thermostat.attributes["current_temperature"] is None
    assert "current_humidity" not in thermostat.attributes
    assert thermostat.attributes["hvac_action"] == "idle"  # turned off, to be safe

    home.simulator.set_online(METER_ID, online=True)
    await home.advance(15)
    assert _thermostat(home).attributes["current_temperature"] == 18.0


async def test_stays_available_when_a_tick_failed(home: Home) -> None:
    await home.set_up()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "custom_components.switchbot_automation.coordinator.run_tick", _raise_runtime_error
        )
        await home.advance(15)
    assert home.sensor("polling_mode") == STATE_UNAVAILABLE
    assert _thermostat(home).state == "heat"
    await _use(home, SERVICE_SET_HVAC_MODE, hvac_mode="off")  # still usable
    assert _thermostat(home).state == "off"
    assert [command for _, command, _ in home.commands()] == ["turnOff"]


async def _raise_runtime_error(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("engine bug")


async def test_window_attributes(home: Home) -> None:
    await home.set_up(time_windows=[])
    attributes = _thermostat(home).attributes
    assert attributes["in_window"] is False
    assert attributes["next_window_start"] is None
    assert attributes["polling_mode"] == "no_windows"


async def test_state_after_restart(home: Home) -> None:
    await home.set_up(18.0, command_cooldown_seconds=0)
    await _use(home, SERVICE_SET_TEMPERATURE, target_temp_low=18.5, target_temp_high=21.5)
    await _use(home, SERVICE_SET_FAN_MODE, fan_mode="high")
    before = _thermostat(home)
    assert before.attributes["hvac_action"] == "heating"

    assert await home.hass.config_entries.async_reload(home.entry.entry_id)
    await home.hass.async_block_till_done()
    after = _thermostat(home)
    assert after.state == before.state == "heat"
    assert after.attributes == before.attributes


# --- HVAC modes ----------------------------------------------------------------------------


async def test_hvac_modes(home: Home) -> None:
    await home.set_up(command_cooldown_seconds=0)
    reads = len(home.requests_at(STATUS_PATH))

    await _use(home, SERVICE_SET_HVAC_MODE, hvac_mode="cool")
    assert (home.room_data["automation_enabled"], home.room_data["mode"]) == (
        True,
        "summer",
    )
    assert _agreement(home) == ("cool", STATE_ON, "summer")
    assert _range(home) == (24.0, 27.0)
    assert len(home.requests_at(STATUS_PATH)) == reads + 1  # one tick for both options
    assert home.sensor("last_outcome") == "summer_off"  # 20 °C is below the summer range

    await _use(home, SERVICE_SET_HVAC_MODE, hvac_mode="off")
    assert home.room_data["automation_enabled"] is False
    assert home.room_data["mode"] == "summer"
    assert _agreement(home) == ("off", STATE_OFF, "summer")
    assert home.sensor("last_outcome") == "quick_off"  # the OFF is sent again
    assert [command for _, command, _ in home.commands()] == ["turnOff", "turnOff"]
    assert _thermostat(home).attributes["hvac_action"] == "off"

    await _use(home, SERVICE_SET_HVAC_MODE, hvac_mode="heat")
    assert _agreement(home) == ("heat", STATE_ON, "winter")
    assert home.sensor("last_outcome") == "no_action"
    assert _thermostat(home).attributes["hvac_action"] == "idle"


async def test_turn_off_and_on(home: Home) -> None:
    await home.set_up(summer={"min_temp": 24, "max_temp": 27}, mode="summer")
    await _use(home, SERVICE_TURN_OFF)
    assert _agreement(home) == ("off", STATE_OFF, "summer")
    assert home.sensor("last_outcome") == "quick_off"
    await _use(home, SERVICE_TURN_ON)
    assert _agreement(home) == ("cool", STATE_ON, "summer")  # back to the season's mode


async def test_off_that_the_cloud_refuses_is_reported(home: Home) -> None:
    await home.set_up()
    home.simulator.inject(Fault.status_code(190, "internal error"), method="POST")
    with pytest.raises(HomeAssistantError) as raised:
        await _use(home, SERVICE_SET_HVAC_MODE, hvac_mode="off")
    assert raised.value.translation_key == "api_error"
    assert _thermostat(home).state == "off"  # the automation is disabled anyway


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("switch", "automation", SERVICE_TURN_OFF, {}), ("off", STATE_OFF, "winter")),
        (
            ("select", "season", SERVICE_SELECT_OPTION, {"option": "summer"}),
            ("cool", STATE_ON, "summer"),
        ),
        (
            ("options", "", "", {"mode": "summer", "automation_enabled": False}),
            ("off", STATE_OFF, "summer"),
        ),
        (
            ("climate", "thermostat", SERVICE_SET_HVAC_MODE, {"hvac_mode": "cool"}),
            ("cool", STATE_ON, "summer"),
        ),
    ],
    ids=["switch", "select", "options", "thermostat"],
)
async def test_agrees_with_the_switch_the_select_and_the_options(
    home: Home, change: tuple[str, str, str, dict[str, Any]], expected: tuple[str, str, str]
) -> None:
    await home.set_up()
    platform, key, service, data = change
    if platform == "options":
        await home.change_options(**data)
    else:
        await home.use(platform, key, service, **data)
    assert _agreement(home) == expected
    options = home.room_data
    mode = (
        "off"
        if not options["automation_enabled"]
        else {"winter": "heat", "summer": "cool"}[options["mode"]]
    )
    assert mode == expected[0]


# --- Target range --------------------------------------------------------------------------


async def test_heat_with_a_range_from_the_card(home: Home) -> None:
    """A new user's first use: heat, 19-22 °C, from a thermostat that was off."""
    await home.set_up(automation_enabled=False, winter={"min_temp": 17, "max_temp": 18})
    assert _thermostat(home).state == "off"
    ticks = len(home.requests_at(STATUS_PATH))
    await _use(
        home, SERVICE_SET_TEMPERATURE, hvac_mode="heat", target_temp_low=19, target_temp_high=22
    )
    options = home.room_data
    assert options["automation_enabled"] is True
    assert options["mode"] == "winter"
    assert (options["winter"]["min_temp"], options["winter"]["max_temp"]) == (19, 22)
    assert _range(home) == (19, 22)
    assert len(home.requests_at(STATUS_PATH)) == ticks + 1
    assert home.sensor("last_outcome") == "no_action"


async def test_the_range_decides_the_next_command(home: Home) -> None:
    await home.set_up(command_cooldown_seconds=0)
    assert home.sensor("last_outcome") == "no_action"  # 20 °C within 19-22

    await _use(home, SERVICE_SET_TEMPERATURE, target_temp_low=21, target_temp_high=23)
    assert home.sensor("last_outcome") == "winter_on"  # 20 <= 21 - 0.3
    assert home.commands()[-1][1:] == ("setAll", "21,5,3,on")
    assert _thermostat(home).attributes["hvac_action"] == "heating"

    await _use(home, SERVICE_SET_TEMPERATURE, target_temp_low=21, target_temp_high=24)
    assert (home.room_data["winter"]["min_temp"], home.room_data["winter"]["max_temp"]) == (
        21,
        24,
    )
    assert home.sensor("last_outcome") == "already_on"


async def test_a_lower_range_turns_the_heating_off(home: Home) -> None:
    await home.set_up(18.0, command_cooldown_seconds=0)
    assert home.sensor("last_outcome") == "winter_on"
    await _use(home, SERVICE_SET_TEMPERATURE, target_temp_low=16, target_temp_high=17.5)
    assert home.sensor("last_outcome") == "winter_off"  # 18 >= 17.5 + 0.3
    assert home.commands()[-1][1] == "turnOff"
    assert _thermostat(home).attributes["hvac_action"] == "idle"


async def test_the_range_is_rounded_to_the_step(home: Home) -> None:
    """The frontend adds up steps of 0.1: 18.5 and five steps is 19.000000000000004."""
    await home.set_up()
    low, high = 18.5, 21.5
    for _ in range(5):
        low, high = low + 0.1, high + 0.1
    assert (low, high) != (19, 22)
    await _use(home, SERVICE_SET_TEMPERATURE, target_temp_low=low, target_temp_high=high)
    winter = home.room_data["winter"]
    assert (winter["min_temp"], winter["max_temp"]) == (19, 22)
    assert _range(home) == (19, 22)


async def test_range_with_a_mode_is_that_season_s(home: Home) -> None:
    await home.set_up()
    await _use(
        home, SERVICE_SET_TEMPERATURE, hvac_mode="cool", target_temp_low=23, target_temp_high=25
    )
    options = home.room_data
    assert (options["mode"], options["summer"]["min_temp"], options["summer"]["max_temp"]) == (
        "summer",
        23,
        25,
    )
    assert options["winter"]["min_temp"] == 19  # the winter profile is unchanged
    assert _agreement(home) == ("cool", STATE_ON, "summer")
    assert _range(home) == (23, 25)


async def test_range_with_off_stores_it_and_turns_off(home: Home) -> None:
    await home.set_up()
    await _use(
        home, SERVICE_SET_TEMPERATURE, hvac_mode="off", target_temp_low=18, target_temp_high=21
    )
    options = home.room_data
    assert options["automation_enabled"] is False
    assert (options["winter"]["min_temp"], options["winter"]["max_temp"]) == (18, 21)
    assert home.sensor("last_outcome") == "quick_off"
    assert _thermostat(home).state == "off"


async def test_a_refused_range_is_reported_and_not_stored(home: Home) -> None:
    """What Home Assistant lets through is checked by the engine's validation."""
    await home.set_up()
    options = dict(home.room_data)
    with pytest.raises(ServiceValidationError) as raised:
        await _use(home, SERVICE_SET_TEMPERATURE, target_temp_low=float("nan"), target_temp_high=22)
    assert raised.value.translation_domain == DOMAIN
    assert raised.value.translation_key == "invalid_range"
    assert raised.value.translation_placeholders == {
        "low": "nan",
        "high": "22",
        "error": "not_a_number",
    }
    for language in (EN, FR):
        message = language["exceptions"]["invalid_range"]["message"]
        assert {"{low}", "{high}", "{error}"} <= set(re.findall(r"{\w+}", message))
    assert home.room_data == options


async def test_a_band_that_cannot_work_is_refused(home: Home) -> None:
    """The engine refuses a band its decisions cannot keep (here: one point, no hysteresis)."""
    await home.set_up(hysteresis_celsius=0)
    with pytest.raises(ServiceValidationError) as raised:
        await _use(home, SERVICE_SET_TEMPERATURE, target_temp_low=20, target_temp_high=20)
    assert raised.value.translation_key == "invalid_range"
    assert raised.value.translation_placeholders == {
        "low": "20",
        "high": "20",
        "error": "band_too_narrow",
    }
    assert home.room_data["winter"]["min_temp"] == 19


async def test_the_range_is_checked_by_the_engine_s_validation(home: Home) -> None:
    """A check the engine's validation adds (a band narrower than the hysteresis, say) is
    the thermostat's too: it reports every error the validation returns."""
    await home.set_up()
    with (
        patch(f"{CLIMATE}.validate_options", return_value={"winter.max_temp": "band_too_narrow"}),
        pytest.raises(ServiceValidationError) as raised,
    ):
        await _use(home, SERVICE_SET_TEMPERATURE, target_temp_low=20, target_temp_high=20.2)
    assert raised.value.translation_placeholders == {
        "low": "20",
        "high": "20.2",
        "error": "band_too_narrow",
    }
    assert home.room_data["winter"]["max_temp"] == 22


async def test_home_assistant_refuses_what_is_out_of_bounds(home: Home) -> None:
    """The bounds are the options': Home Assistant checks them, and the order of the ends,
    before the integration, with its own translated errors."""
    await home.set_up()
    attributes = _thermostat(home).attributes
    assert (attributes["min_temp"], attributes["max_temp"]) == (10, 35)
    assert attributes["target_temp_step"] == 0.1
    refusals = {
        "temp_out_of_range": {"target_temp_low": 9, "target_temp_high": 22},
        "low_temp_higher_than_high_temp": {"target_temp_low": 23, "target_temp_high": 22},
        "missing_target_temperature_entity_feature": {"temperature": 21},
    }
    for key, data in refusals.items():
        with pytest.raises(ServiceValidationError) as raised:
            await _use(home, SERVICE_SET_TEMPERATURE, **data)
        assert (raised.value.translation_domain, raised.value.translation_key) == ("climate", key)
    assert home.room_data["winter"]["min_temp"] == 19


# --- Fan -----------------------------------------------------------------------------------


async def test_fan_mode(home: Home) -> None:
    await home.set_up(command_cooldown_seconds=0)
    assert _thermostat(home).attributes["fan_mode"] == "medium"
    await _use(home, SERVICE_SET_FAN_MODE, fan_mode="high")
    assert home.room_data["winter"]["fan_speed"] == 4
    assert home.room_data["summer"]["fan_speed"] == 3
    assert _thermostat(home).attributes["fan_mode"] == "high"

    home.set_room(18.0)
    await home.call("run_tick")
    await home.hass.async_block_till_done()
    assert home.commands()[-1][1:] == ("setAll", "21,5,4,on")

    await _use(home, SERVICE_SET_FAN_MODE, fan_mode="auto")
    assert home.room_data["winter"]["fan_speed"] == 1
    assert home.commands()[-1][1:] == ("setAll", "21,5,1,on")  # the new setting is sent


# --- What the unit does --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "room", "outcome", "action"),
    [
        ({}, 20.0, "no_action", None),  # nothing sent yet: unknown
        ({}, 18.0, "winter_on", "heating"),
        ({}, 23.0, "winter_off", "idle"),
        ({"mode": "summer"}, 28.0, "summer_on", "cooling"),
        ({"fan_mode_during_window": True}, 23.0, "winter_off", "fan"),  # the OFF is the fan
        ({"winter": {"min_temp": 19, "max_temp": 22, "ac_mode": 3}}, 18.0, "winter_on", "drying"),
        ({"winter": {"min_temp": 19, "max_temp": 22, "ac_mode": 0}}, 18.0, "winter_on", "heating"),
        (
            {"mode": "summer", "summer": {"min_temp": 24, "max_temp": 27, "ac_mode": 1}},
            28.0,
            "summer_on",
            "cooling",
        ),
    ],
    ids=["unknown", "heating", "idle", "cooling", "fan", "dry", "auto-winter", "auto-summer"],
)
async def test_hvac_action(
    home: Home, options: dict[str, Any], room: float, outcome: str, action: str | None
) -> None:
    await home.set_up(room, **options)
    assert home.sensor("last_outcome") == outcome
    assert _thermostat(home).attributes.get("hvac_action") == action


async def test_hvac_action_with_the_automation_disabled(home: Home) -> None:
    await home.set_up(18.0)
    await home.use("switch", "automation", SERVICE_TURN_OFF)  # the unit is left running
    assert _thermostat(home).state == "off"
    assert _thermostat(home).attributes["hvac_action"] == "heating"
    await _use(home, SERVICE_TURN_OFF)
    assert _thermostat(home).attributes["hvac_action"] == "off"


# --- The run_tick action's response --------------------------------------------------------


async def test_run_tick_response(home: Home) -> None:
    await home.set_up(command_cooldown_seconds=0)
    home.set_room(18.0)
    await home.advance(5)
    response = await home.hass.services.async_call(
        DOMAIN,
        "run_tick",
        {"config_entry_id": home.entry.entry_id},
        blocking=True,
        return_response=True,
    )
    room = {
        "room_id": ROOM_ID,
        "room": ROOM_TITLE,
        "outcome": "winter_on",
        "commands": [
            {
                "action": "on",
                "command": "setAll",
                "parameter": "21,5,3,on",
                "scene_id": None,
                "reason": "winter_on",
                "repeat": False,
            }
        ],
        "next_tick": home.sensor("next_tick"),
        "api_calls_today": 4,  # devices, reading; reading, command
    }
    # One room: its answer at the top level, as before rooms, and in the list of rooms.
    assert response == {**room, "rooms": [room]}
    assert START.isoformat() < str(response["next_tick"])

    without = await home.hass.services.async_call(
        DOMAIN, "run_tick", {"config_entry_id": home.entry.entry_id}, blocking=True
    )
    assert without is None


async def test_run_tick_response_without_polling(home: Home) -> None:
    await home.set_up(system_options={"pref_disable_polling": True})
    response = await home.hass.services.async_call(
        DOMAIN,
        "run_tick",
        {"config_entry_id": home.entry.entry_id},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    assert (response["outcome"], response["commands"], response["next_tick"]) == (
        "no_action",
        [],
        None,
    )


async def test_entity_id(home: Home) -> None:
    """Named after the service device it is on, with the switch and the select."""
    await home.set_up()
    assert entity_id(home.hass, home.entry, CLIMATE_DOMAIN, "thermostat") == (
        "climate.switchbot_automation_thermostat"
    )
