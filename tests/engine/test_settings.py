"""Tests of the settings model, the defaults and the parsing of single values."""

from dataclasses import replace
from datetime import time
import math

import pytest

from custom_components.switchbot_automation.engine.options import NumberBound, OptionError
from custom_components.switchbot_automation.engine.settings import (
    DEFAULT_OPTIONS,
    DEFAULT_SETTINGS,
    NUMBER_BOUNDS,
    PROFILE_BOUNDS,
    AirconScenes,
    OptionValueError,
    Profile,
    Settings,
    TimeWindow,
    as_number,
    default_options,
    format_time,
    number_error,
    option_specs,
    parse_days,
    parse_time,
    parse_window,
)


def test_defaults() -> None:
    assert DEFAULT_OPTIONS == {
        "automation_enabled": True,
        "mode": "winter",
        "winter": {"min_temp": 19.0, "max_temp": 22.0, "target_temp": 21.0, "ac_mode": 5,
                   "fan_speed": 3},
        "summer": {"min_temp": 24.0, "max_temp": 27.0, "target_temp": 25.0, "ac_mode": 2,
                   "fan_speed": 3},
        "hysteresis_celsius": 0.3,
        "action_on_cooldown_seconds": 0,
        "action_off_cooldown_seconds": 0,
        "command_cooldown_seconds": 60,
        "off_repeat_count": 1,
        "off_repeat_interval_seconds": 10,
        "turn_off_outside_windows": True,
        "fan_mode_during_window": False,
        "max_reading_age_minutes": 30,
        "aircon_scenes": {"winter": "", "summer": "", "fan": "", "off": ""},
        "meter_device_id": "",
        "aircon_device_id": "",
        "temperature_entity_id": "",
        "humidity_entity_id": "",
        "window_entity_ids": [],
        "window_open_delay_seconds": 60,
        "power_entity_id": "",
        "power_on_threshold_watts": 10.0,
        "time_windows": [{"days": [0, 1, 2, 3, 4], "start": "07:00", "end": "22:00"}],
        "timezone": "",
        "poll_interval_seconds": 15,
        "idle_poll_interval_seconds": 600,
        "poll_warmup_minutes": 15,
        "adaptive_polling_enabled": True,
        "api_quota_warning_threshold": 250,
        "max_temperature_rate": 0.2,
        "max_window_poll_interval_seconds": 900,
        "meter_update_interval_seconds": 120,
        "idle_read_interval_seconds": 1800,
        "daily_call_budget": 8000,
    }  # fmt: skip
    assert list(DEFAULT_OPTIONS) == list(option_specs(Settings))


def test_summer_default_ac_mode_defect_fixed_is_cool() -> None:
    """Section 8: ``ac_mode`` defaulted to heat for the summer profile."""
    assert DEFAULT_SETTINGS.summer.ac_mode == 2
    assert DEFAULT_SETTINGS.winter.ac_mode == 5


def test_defaults_are_within_their_bounds() -> None:
    for key, bound in NUMBER_BOUNDS.items():
        assert number_error(DEFAULT_OPTIONS[key], bound) is None, key
    assert DEFAULT_SETTINGS.winter.is_valid()
    assert DEFAULT_SETTINGS.summer.is_valid()


def test_default_options_is_a_fresh_copy() -> None:
    copy = default_options()
    copy["winter"]["min_temp"] = 5
    copy["time_windows"].clear()
    assert DEFAULT_OPTIONS["winter"]["min_temp"] == 19.0
    assert DEFAULT_OPTIONS["time_windows"]
    assert default_options() == DEFAULT_OPTIONS


def test_active_profile_and_scene_follow_the_season() -> None:
    assert DEFAULT_SETTINGS.active_profile is DEFAULT_SETTINGS.winter
    summer = replace(DEFAULT_SETTINGS, mode="summer")
    assert summer.active_profile is DEFAULT_SETTINGS.summer
    scenes = AirconScenes(winter="w", summer="s")
    assert (scenes.for_season("winter"), scenes.for_season("summer")) == ("w", "s")


@pytest.mark.parametrize(
    ("profile", "valid"),
    [
        (Profile(19, 22, 21, 5, 3), True),
        (Profile(10, 35, 16, 0, 1), True),
        (Profile(9.9, 22, 21, 5, 3), False),
        (Profile(19, math.nan, 21, 5, 3), False),
        (Profile(19, 22, 31, 5, 3), False),
        (Profile(19, 22, 21, 6, 3), False),
        (Profile(19, 22, 21, 5, 0), False),
    ],
)
def test_profile_validity(profile: Profile, valid: bool) -> None:
    assert profile.is_valid() is valid


def test_time_window_option_round_trip() -> None:
    window = TimeWindow((4,), time(22), time(2, 0, 30))
    assert window.crosses_midnight
    assert not TimeWindow((4,), time(2), time(22)).crosses_midnight
    assert window.to_option() == {"days": [4], "start": "22:00", "end": "02:00:30"}
    assert parse_window(window.to_option()) == (window, {})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07:00", time(7)),
        ("7:05", time(7, 5)),
        ("23:59", time(23, 59)),
        ("00:00:00", time(0)),
        ("07:00:30", time(7, 0, 30)),
    ],
)
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "value",
    [
        "24:00",
        "7",
        "07:60",
        "",
        " 07:00",
        "07:00:60",
        "07h00",
        "\u0660\u0667:\u0660\u0660",
        None,
        700,
    ],
)
def test_parse_time_rejects(value: object) -> None:
    with pytest.raises(OptionValueError) as err:
        parse_time(value)
    assert err.value.error_key == "invalid_time"


def test_format_time() -> None:
    assert format_time(time(7)) == "07:00"
    assert format_time(time(7, 5, 9)) == "07:05:09"


def test_parse_days() -> None:
    assert parse_days([4, 0, 4]) == (0, 4)
    assert parse_days(("6", 1)) == (1, 6)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (None, "not_a_list"),
        ("0,1", "not_a_list"),
        ([], "no_days"),
        ([7], "invalid_day"),
        ([-1], "invalid_day"),
        ([True], "invalid_day"),
        ([1.0], "invalid_day"),
        (["7"], "invalid_day"),
        (["mon"], "invalid_day"),
    ],
)
def test_parse_days_rejects(value: object, error: str) -> None:
    with pytest.raises(OptionValueError) as err:
        parse_days(value)
    assert err.value.error_key == error


def test_parse_window_reports_every_field() -> None:
    assert parse_window({"days": [], "start": "25:00", "end": None}) == (
        None,
        {"days": "no_days", "start": "invalid_time", "end": "invalid_time"},
    )
    assert parse_window({"days": [1], "start": "08:00", "end": "08:00:00"}) == (
        None,
        {"end": "same_start_end"},
    )
    assert parse_window({}) == (
        None,
        {"days": "not_a_list", "start": "invalid_time", "end": "invalid_time"},
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, 1.0),
        (2.5, 2.5),
        (True, None),
        (math.inf, None),
        (math.nan, None),
        ("1", None),
        (10**400, None),
    ],
)
def test_as_number(value: object, expected: float | None) -> None:
    assert as_number(value) == expected


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (15, None),
        (15.0, None),  # number selectors return floats
        (3600, None),
        (14, "out_of_range"),
        (3601, "out_of_range"),
        (15.5, "not_an_integer"),
        ("15", "not_a_number"),
        (None, "not_a_number"),
        (False, "not_a_number"),
        ([15], "not_a_number"),
    ],
)
def test_number_error(value: object, error: str | None) -> None:
    assert number_error(value, NUMBER_BOUNDS["poll_interval_seconds"]) == error


def test_bounds_table() -> None:
    assert NumberBound(0, 5, integer=False).clamp(7.5) == 5
    assert NumberBound(0, 5, integer=False).clamp(-1) == 0
    assert NUMBER_BOUNDS["idle_poll_interval_seconds"] == NumberBound(15, 86400, integer=True)
    assert PROFILE_BOUNDS["target_temp"] == NumberBound(16, 30, integer=False)
    assert set(OptionError) >= {
        "out_of_range",
        "not_a_number",
        "min_above_max",
        "invalid_time",
        "same_start_end",
        "no_days",
        "invalid_day",
        "invalid_timezone",
    }
