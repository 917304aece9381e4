"""Tests of the strict validation used by the flows."""

from typing import Any

from hypothesis import given, settings
import pytest

from custom_components.switchbot_automation.engine.settings import (
    DEFAULT_OPTIONS,
    DEFAULT_SETTINGS,
    MAX_TIME_WINDOWS,
)
from custom_components.switchbot_automation.engine.settings_loader import settings_from_options
from custom_components.switchbot_automation.engine.validation import (
    validate_options,
    validate_profile,
    validate_window,
)
from tests.engine.strategies import OPTIONS

KNOWN_ZONES = {"UTC", "Europe/Paris"}
WINDOW = {"days": [0], "start": "07:00", "end": "22:00"}


def validate(options: dict[str, Any]) -> dict[str, str]:
    return validate_options(options, is_valid_timezone=KNOWN_ZONES.__contains__)


def test_defaults_and_empty_options_are_valid() -> None:
    assert validate(DEFAULT_OPTIONS) == {}
    assert validate({}) == {}


def test_unknown_keys_are_ignored() -> None:
    assert validate({"next_step": "devices"}) == {}


@pytest.mark.parametrize(
    ("options", "errors"),
    [
        ({"automation_enabled": "true"}, {"automation_enabled": "not_a_boolean"}),
        ({"adaptive_polling_enabled": 1}, {"adaptive_polling_enabled": "not_a_boolean"}),
        ({"mode": "spring"}, {"mode": "invalid_mode"}),
        # Python's json reads a pasted 1e400 written as digits as an integer no float holds.
        ({"poll_interval_seconds": 10**400}, {"poll_interval_seconds": "not_a_number"}),
        ({"mode": ["winter"]}, {"mode": "invalid_mode"}),
        ({"meter_device_id": None}, {"meter_device_id": "not_a_string"}),
        ({"poll_interval_seconds": 14}, {"poll_interval_seconds": "out_of_range"}),
        ({"poll_interval_seconds": 20.5}, {"poll_interval_seconds": "not_an_integer"}),
        ({"hysteresis_celsius": "0.3"}, {"hysteresis_celsius": "not_a_number"}),
        ({"api_quota_warning_threshold": 10001}, {"api_quota_warning_threshold": "out_of_range"}),
        ({"max_temperature_rate": 5.5}, {"max_temperature_rate": "out_of_range"}),
        ({"max_temperature_rate": "0.2"}, {"max_temperature_rate": "not_a_number"}),
        ({"max_window_poll_interval_seconds": 10},
         {"max_window_poll_interval_seconds": "out_of_range"}),
        ({"meter_update_interval_seconds": 12.5},
         {"meter_update_interval_seconds": "not_an_integer"}),
        ({"idle_read_interval_seconds": -1}, {"idle_read_interval_seconds": "out_of_range"}),
        ({"daily_call_budget": 10001}, {"daily_call_budget": "out_of_range"}),
        ({"winter": None}, {"winter": "not_an_object"}),
        ({"winter": {"min_temp": 9}}, {"winter.min_temp": "out_of_range"}),
        ({"summer": {"ac_mode": 6, "fan_speed": "high"}},
         {"summer.ac_mode": "out_of_range", "summer.fan_speed": "not_a_number"}),
        ({"summer": {"target_temp": 15.9}}, {"summer.target_temp": "out_of_range"}),
        ({"aircon_scenes": []}, {"aircon_scenes": "not_an_object"}),
        ({"aircon_scenes": {"fan": None, "off": "s"}}, {"aircon_scenes.fan": "not_a_string"}),
        ({"time_windows": "07:00-22:00"}, {"time_windows": "not_a_list"}),
        ({"time_windows": [WINDOW, 3]}, {"time_windows.1": "not_an_object"}),
        ({"time_windows": [{"days": [0, 9], "start": "7:00", "end": "22:00:00"}]},
         {"time_windows.0.days": "invalid_day"}),
        ({"time_windows": [{"days": [], "start": "7", "end": "7"}]},
         {"time_windows.0.days": "no_days", "time_windows.0.start": "invalid_time",
          "time_windows.0.end": "invalid_time"}),
        ({"time_windows": [{"days": [1], "start": "07:00", "end": "07:00:00"}]},
         {"time_windows.0.end": "same_start_end"}),
        ({"timezone": "Mars/Base"}, {"timezone": "invalid_timezone"}),
        ({"timezone": 1}, {"timezone": "not_a_string"}),
    ],
)  # fmt: skip
def test_errors_per_field(options: dict[str, Any], errors: dict[str, str]) -> None:
    assert validate(options) == errors


def test_empty_device_ids_and_window_list_are_valid() -> None:
    assert validate({"meter_device_id": "", "aircon_device_id": "", "time_windows": []}) == {}


def test_min_above_max_is_reported_on_min_temp() -> None:
    assert validate({"winter": {"min_temp": 23, "max_temp": 21}}) == {
        "winter.min_temp": "min_above_max"
    }
    # Missing fields are the season's defaults: 23 is above winter's default max of 22.
    assert validate({"winter": {"min_temp": 23}}) == {"winter.min_temp": "min_above_max"}
    assert validate({"summer": {"min_temp": 23}}) == {}
    # Not checked when a threshold is itself invalid.
    assert validate({"winter": {"min_temp": 23, "max_temp": 40}}) == {
        "winter.max_temp": "out_of_range"
    }


def test_a_band_that_cannot_work_is_reported_on_min_temp() -> None:
    """Equal thresholds without hysteresis: ON and OFF would both hold at that temperature."""
    equal = {"min_temp": 21, "max_temp": 21}
    assert validate({"hysteresis_celsius": 0, "winter": equal}) == {
        "winter.min_temp": "band_too_narrow"
    }
    assert validate({"hysteresis_celsius": 0.0, "winter": equal, "summer": equal}) == {
        "winter.min_temp": "band_too_narrow",
        "summer.min_temp": "band_too_narrow",
    }
    assert validate({"hysteresis_celsius": 0.1, "winter": equal}) == {}
    # Without the hysteresis in the options, the default (0.3) applies.
    assert validate({"winter": equal}) == {}
    assert validate({"hysteresis_celsius": 0, "winter": {"min_temp": 21.9, "max_temp": 22}}) == {}
    # min_above_max wins; nothing is said about a band built on an invalid value.
    assert validate({"hysteresis_celsius": 0, "winter": {"min_temp": 23, "max_temp": 21}}) == {
        "winter.min_temp": "min_above_max"
    }
    assert validate({"hysteresis_celsius": -1, "winter": equal}) == {
        "hysteresis_celsius": "out_of_range"
    }
    assert validate({"hysteresis_celsius": 0, "winter": {"min_temp": 22, "max_temp": "22"}}) == {
        "winter.max_temp": "not_a_number"
    }


def test_too_many_windows_are_refused_as_a_whole() -> None:
    window = {"days": [0], "start": "08:00", "end": "09:00"}
    assert validate({"time_windows": [window] * MAX_TIME_WINDOWS}) == {}
    assert validate({"time_windows": [window] * (MAX_TIME_WINDOWS + 1)}) == {
        "time_windows": "too_many_windows"
    }
    assert validate({"time_windows": ["junk"] * 20_000}) == {"time_windows": "too_many_windows"}


def test_timezone_check_is_injected_and_skipped_for_the_default() -> None:
    asked: list[str] = []

    def is_valid(name: str) -> bool:
        asked.append(name)
        return True

    assert validate_options({"timezone": ""}, is_valid_timezone=is_valid) == {}
    assert validate_options({"timezone": "Asia/Tokyo"}, is_valid_timezone=is_valid) == {}
    assert asked == ["Asia/Tokyo"]


def test_one_window_and_one_profile_forms_use_bare_field_names() -> None:
    assert validate_window({"days": ["0", "6"], "start": "22:00:00", "end": "06:00:00"}) == {}
    assert validate_window({"days": [8], "start": "22:00", "end": "22:00"}) == {
        "days": "invalid_day",
        "end": "same_start_end",
    }
    assert validate_profile({"max_temp": 18}, DEFAULT_SETTINGS.winter) == {
        "min_temp": "min_above_max"
    }


@settings(max_examples=300, deadline=None)
@given(options=OPTIONS)
def test_valid_options_load_without_warnings(options: dict[str, Any]) -> None:
    """The strict and the lenient readers agree: what validation accepts loads unchanged."""
    errors = validate(options)
    warnings: list[str] = []
    loaded = settings_from_options(options, warn=warnings.append)
    if not errors:
        assert warnings == []
        assert loaded.active_profile.band_works(loaded.hysteresis_celsius)
