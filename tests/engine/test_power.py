"""Tests of the power entity in the engine: the assumption corrected, commands checked."""

from dataclasses import replace
from datetime import datetime

import pytest

from custom_components.switchbot_automation.engine.automation_state import (
    ActionKind,
    AutomationState,
    OffRepeat,
)
from custom_components.switchbot_automation.engine.inputs import EntityInputs, SensorReading
from custom_components.switchbot_automation.engine.outcomes import Outcome
from custom_components.switchbot_automation.engine.polling import compute_interval
from custom_components.switchbot_automation.engine.power import (
    COMMAND_CONFIRM_SECONDS,
    COMMANDS_NOT_TAKEN_LIMIT,
    observe_power,
)
from custom_components.switchbot_automation.engine.settings import Settings
from custom_components.switchbot_automation.engine.tick import TickResult, run_tick
from tests.engine.support import NIGHT, NOON, FakeCloud, make_settings, seconds

PLUG = "sensor.air_conditioner_power"
SET_HEAT = ("command", "ac-1", "setAll", "21,5,3,on")
TURN_OFF = ("command", "ac-1", "turnOff", "default")
HEATING = AutomationState(assumed_power=True, assumed_mode=5, assumed_parameter="21,5,3,on")
CHECK = seconds(COMMAND_CONFIRM_SECONDS)


def plugged(**changes: object) -> Settings:
    return make_settings(power_entity_id=PLUG, **changes)


def cold(power: bool | None) -> EntityInputs:
    """A cold room (the meter says 25 °C: the reading comes from the entity) and the power."""
    return EntityInputs(SensorReading(18.0, None, NOON), power=power)


async def tick(
    state: AutomationState,
    power: bool | None,
    now: datetime = NOON,
    settings: Settings | None = None,
) -> tuple[TickResult, FakeCloud]:
    cloud = FakeCloud(25.0)
    settings = settings or plugged(temperature_entity_id="sensor.room")
    result = await run_tick(settings, state, now, cloud, NOON.tzinfo, inputs=cold(power))
    return result, cloud


def test_without_a_power_entity_the_assumption_stands() -> None:
    assert observe_power(make_settings(), HEATING, observed=False, now=NOON) is HEATING
    assert observe_power(plugged(), HEATING, observed=None, now=NOON) is HEATING


def test_a_unit_switched_by_hand_is_seen_as_it_is() -> None:
    state = observe_power(plugged(), HEATING, observed=False, now=NOON)
    assert (state.assumed_power, state.assumed_parameter, state.observed_power) == (
        False,
        None,
        False,
    )


def test_an_off_seen_drops_the_repeats_of_an_off() -> None:
    repeat = OffRepeat(2, 10, NOON, "winter_off")
    off = AutomationState(assumed_power=False, off_repeat=repeat)
    assert observe_power(plugged(), off, observed=False, now=NOON).off_repeat is None
    fan = replace(HEATING, off_repeat=replace(repeat, action=ActionKind.FAN))
    assert observe_power(plugged(), fan, observed=True, now=NOON).off_repeat is not None


async def test_a_lost_on_is_detected_and_sent_again() -> None:
    result, cloud = await tick(AutomationState(assumed_power=False), power=False)
    assert (result.outcome, cloud.sent) == (Outcome.WINTER_ON, [SET_HEAT])
    assert result.state.power_check_at == NOON + CHECK
    # The unit is given time: no re-send while the power has not changed yet.
    early, cloud = await tick(result.state, power=False, now=NOON + seconds(90))
    assert (early.outcome, cloud.sent) == (Outcome.ALREADY_ON, [])
    assert early.state.assumed_power is True
    # At the check, the power is still off: not taken, sent again.
    late, cloud = await tick(early.state, power=False, now=NOON + CHECK)
    assert (late.outcome, cloud.sent) == (Outcome.WINTER_ON, [SET_HEAT])
    assert late.state.commands_not_taken == 1


async def test_a_command_taken_is_confirmed_before_its_check() -> None:
    result, _ = await tick(AutomationState(assumed_power=False), power=False)
    confirmed, cloud = await tick(result.state, power=True, now=NOON + seconds(30))
    assert confirmed.state.power_check_at is None
    assert confirmed.state.commands_not_taken == 0
    assert (confirmed.outcome, cloud.sent) == (Outcome.COOLDOWN, [])


async def test_commands_are_held_after_too_many_not_taken() -> None:
    state = replace(
        AutomationState(assumed_power=False, observed_power=False),
        commands_not_taken=COMMANDS_NOT_TAKEN_LIMIT,
    )
    held, cloud = await tick(state, power=False)
    assert (held.outcome, cloud.sent) == (Outcome.COMMAND_NOT_TAKEN, [])
    # The power changes (switched by hand): commands go again.
    resumed, cloud = await tick(held.state, power=True, now=NOON + seconds(5))
    assert resumed.state.commands_not_taken == 0
    assert resumed.outcome == Outcome.WINTER_ON


@pytest.mark.parametrize("off_kind", ["window", "stale"])
async def test_held_commands_include_the_safety_offs(off_kind: str) -> None:
    state = replace(HEATING, observed_power=True, commands_not_taken=COMMANDS_NOT_TAKEN_LIMIT)
    settings = plugged()
    inputs = EntityInputs(power=True)
    if off_kind == "window":
        settings = plugged(window_entity_ids=("binary_sensor.window",))
        inputs = EntityInputs(window_open_since=NOON - seconds(60), power=True)
    cloud = FakeCloud(None)
    result = await run_tick(settings, state, NOON, cloud, NOON.tzinfo, inputs=inputs)
    assert (result.outcome, cloud.sent) == (Outcome.COMMAND_NOT_TAKEN, [])


def test_a_tick_lands_at_the_check() -> None:
    state = AutomationState(assumed_power=True, power_check_at=NIGHT + seconds(100))
    assert compute_interval(plugged(), state, NIGHT, NOON.tzinfo).seconds == 101


def test_the_checks_survive_a_restart() -> None:
    state = AutomationState(observed_power=True, power_check_at=NOON, commands_not_taken=2)
    assert AutomationState.from_dict(state.to_dict()) == state
