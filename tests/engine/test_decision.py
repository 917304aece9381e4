"""Tests of the pure decision: every outcome, the thresholds with hysteresis, the cooldown."""

from datetime import datetime, timedelta
import math

import pytest

from custom_components.switchbot_automation.engine.automation_state import (
    AutomationState,
    OffRepeat,
)
from custom_components.switchbot_automation.engine.decision import (
    Decision,
    cooldown_active,
    cooldown_seconds,
    decide,
)
from custom_components.switchbot_automation.engine.settings import AirconScenes, Profile, Settings
from tests.engine.support import NOON, make_settings, seconds

OFF = AutomationState(assumed_power=False)
HEATING = AutomationState(assumed_power=True, assumed_mode=5, assumed_parameter="21,5,3,on")
COOLING = AutomationState(assumed_power=True, assumed_mode=2, assumed_parameter="25,2,3,on")
FAN = AutomationState(assumed_power=True, assumed_mode=4, assumed_parameter="21,4,3,on")
SUMMER = make_settings(mode="summer")


def inside(
    temperature: float | None, state: AutomationState = OFF, settings: Settings | None = None
) -> Decision:
    return decide(settings or make_settings(), state, NOON, in_window=True, temperature=temperature)


def outside(state: AutomationState, **changes: object) -> Decision:
    settings = make_settings(turn_off_outside_windows=True, **changes)
    return decide(settings, state, NOON, in_window=False, temperature=20)


def test_disabled() -> None:
    settings = make_settings(automation_enabled=False)
    for in_window in (True, False):
        assert decide(settings, OFF, NOON, in_window=in_window, temperature=15) == (
            Decision("disabled")
        )


# --- Outside every window -----------------------------------------------------------------


def test_outside_window_without_turning_off() -> None:
    assert decide(make_settings(), HEATING, NOON, in_window=False, temperature=30) == Decision(
        "outside_window"
    )


def test_outside_window_turns_off_with_a_real_off_never_the_fan() -> None:
    assert outside(HEATING) == Decision("turned_off_outside_window", "off")
    assert outside(AutomationState()) == Decision("turned_off_outside_window", "off")
    assert outside(FAN, fan_mode_during_window=True) == Decision("turned_off_outside_window", "off")


def test_outside_window_already_off() -> None:
    recent = AutomationState(assumed_power=False, last_action_at=NOON)
    assert outside(recent) == Decision("already_off")


def test_outside_window_cooldown() -> None:
    recent = AutomationState(assumed_power=True, last_action_at=NOON - seconds(10))
    assert outside(recent) == Decision("cooldown")


def test_outside_window_not_configured() -> None:
    assert outside(HEATING, aircon_device_id="") == Decision("not_configured")


# --- Inside a window: the checks before deciding -----------------------------------------


def test_not_configured() -> None:
    assert inside(15, settings=make_settings(aircon_device_id="")) == Decision("not_configured")


def test_missing_meter() -> None:
    assert inside(None) == Decision("missing_meter")


@pytest.mark.parametrize(
    "profile",
    [Profile(19, 22, 40, 5, 3), Profile(math.nan, 22, 21, 5, 3), Profile(19, 22, 21, 9, 3)],
)
def test_invalid_profile(profile: Profile) -> None:
    assert inside(15, settings=make_settings(winter=profile)) == Decision("invalid_profile")


def test_invalid_profile_of_the_other_season_does_not_matter() -> None:
    settings = make_settings(summer=Profile(19, 22, 40, 5, 3))
    assert inside(15, settings=settings) == Decision("winter_on", "on")


def test_invalid_thresholds() -> None:
    settings = make_settings(winter=Profile(23, 22, 21, 5, 3))
    assert inside(15, settings=settings) == Decision("invalid_thresholds")


def test_cooldown_comes_before_the_thresholds() -> None:
    recent = AutomationState(assumed_power=False, last_action_at=NOON - seconds(30))
    assert inside(15, recent) == Decision("cooldown")


# --- Winter ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("temperature", "expected"),
    [
        (18.7, Decision("winter_on", "on")),  # min 19 - hysteresis 0.3, inclusive
        (18.71, Decision("no_action")),
        (20.5, Decision("no_action")),
        (22.29, Decision("no_action")),
        (22.3, Decision("already_off")),  # max 22 + 0.3, inclusive; assumed off
    ],
)
def test_winter_thresholds_with_hysteresis(temperature: float, expected: Decision) -> None:
    assert inside(temperature) == expected


def test_winter_turns_off_when_heating() -> None:
    assert inside(23, HEATING) == Decision("winter_off", "off")
    assert inside(23, AutomationState()) == Decision("winter_off", "off")  # unknown


def test_winter_already_on_with_exactly_that_setting() -> None:
    assert inside(15, HEATING) == Decision("already_on")
    other_setting = AutomationState(assumed_power=True, assumed_parameter="22,5,3,on")
    assert inside(15, other_setting) == Decision("winter_on", "on")
    assert inside(15, FAN) == Decision("winter_on", "on")


def test_off_repeat_pending() -> None:
    pending = AutomationState(
        assumed_power=False, off_repeat=OffRepeat(1, 10, NOON + seconds(5), "winter_off")
    )
    assert inside(23, pending) == Decision("off_repeat_pending")
    # An ON is not held back by a pending OFF repeat (it supersedes it when sent).
    assert inside(15, pending) == Decision("winter_on", "on")


def test_equal_thresholds_without_hysteresis_are_invalid() -> None:
    """ON at T <= 20 and OFF at T >= 20 would both hold at 20: the unit would toggle."""
    settings = make_settings(hysteresis_celsius=0.0, winter=Profile(20, 20, 21, 5, 3))
    assert inside(20, settings=settings) == Decision("invalid_thresholds")
    assert inside(20.1, HEATING, settings=settings) == Decision("invalid_thresholds")


def test_equal_thresholds_with_hysteresis_work() -> None:
    settings = make_settings(hysteresis_celsius=0.1, winter=Profile(20, 20, 21, 5, 3))
    assert inside(19.8, settings=settings) == Decision("winter_on", "on")
    assert inside(20, HEATING, settings=settings) == Decision("no_action")
    assert inside(20.2, HEATING, settings=settings) == Decision("winter_off", "off")


# --- Summer mirrors winter -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("temperature", "state", "expected"),
    [
        (27.3, OFF, Decision("summer_on", "on")),
        (28, COOLING, Decision("already_on")),
        (27.29, OFF, Decision("no_action")),
        (23.71, COOLING, Decision("no_action")),
        (23.7, COOLING, Decision("summer_off", "off")),
        (20, OFF, Decision("already_off")),
    ],
)
def test_summer(temperature: float, state: AutomationState, expected: Decision) -> None:
    assert inside(temperature, state, SUMMER) == expected


# --- Fan mode during windows ---------------------------------------------------------------


def test_fan_mode_turns_off_into_the_fan() -> None:
    settings = make_settings(fan_mode_during_window=True)
    assert inside(23, HEATING, settings) == Decision("winter_off", "fan")
    assert inside(23, OFF, settings) == Decision("winter_off", "fan")
    assert inside(23, FAN, settings) == Decision("already_off")  # the fan already runs
    summer = make_settings(mode="summer", fan_mode_during_window=True)
    assert inside(20, COOLING, summer) == Decision("summer_off", "fan")


def test_fan_neutral_zone() -> None:
    settings = make_settings(fan_mode_during_window=True)
    assert inside(20.5, OFF, settings) == Decision("fan_neutral_zone", "fan")
    # Only when assumed off: heating keeps running, an unknown AC is left alone.
    assert inside(20.5, HEATING, settings) == Decision("no_action")
    assert inside(20.5, AutomationState(), settings) == Decision("no_action")
    assert inside(20.5, FAN, settings) == Decision("no_action")


# --- Section 8 defects --------------------------------------------------------------------


def test_scene_on_rerun_every_cooldown_defect_fixed() -> None:
    """Section 8: an ON scene was re-run each time the cooldown expired; setAll was not."""
    scenes = make_settings(aircon_scenes=AirconScenes(winter="scene-heat"))
    long_ago = AutomationState(
        assumed_power=True,
        assumed_parameter="21,5,3,on",
        last_action_at=NOON - timedelta(hours=1),
    )
    assert inside(15, long_ago, scenes) == Decision("already_on")
    assert inside(15, long_ago, make_settings()) == Decision("already_on")


def test_winter_on_reported_without_sending_defect_fixed() -> None:
    """Section 8: ``winter_on`` was reported even when nothing was sent."""
    for state in (OFF, HEATING, AutomationState()):
        decision = inside(15, state)
        assert (decision.outcome == "winter_on") == (decision.action == "on")


# --- Cooldown --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("power", "on", "off", "command", "expected"),
    [
        (True, 120, 30, 60, 120),
        (False, 120, 30, 60, 30),
        (None, 120, 30, 60, 30),
        (True, 0, 30, 60, 60),
        (False, 120, 0, 45, 45),
        (None, 0, 0, 0, 0),
    ],
)
def test_cooldown_seconds(
    power: bool | None, on: int, off: int, command: int, expected: int
) -> None:
    settings = make_settings(
        action_on_cooldown_seconds=on,
        action_off_cooldown_seconds=off,
        command_cooldown_seconds=command,
    )
    assert cooldown_seconds(settings, AutomationState(assumed_power=power)) == expected


def test_cooldown_boundaries() -> None:
    settings = make_settings(command_cooldown_seconds=60)
    state = AutomationState(assumed_power=True, last_action_at=NOON)

    def active(now: datetime) -> bool:
        return cooldown_active(settings, state, now)

    assert active(NOON)
    assert active(NOON + seconds(59.999999))  # just before expiry
    assert not active(NOON + seconds(60))  # exactly at expiry
    assert not active(NOON - seconds(1))  # the clock went back: does not block
    assert not cooldown_active(settings, AutomationState(), NOON)
    assert not cooldown_active(make_settings(command_cooldown_seconds=0), state, NOON)
