"""Tests of the import of the original dashboard's settings.json."""

import json
from typing import Any

import pytest

from custom_components.switchbot_automation.engine.dashboard_import import (
    MAX_JSON_DEPTH,
    options_from_dashboard,
    parse_settings_json,
)
from custom_components.switchbot_automation.engine.settings import DEFAULT_OPTIONS
from custom_components.switchbot_automation.engine.validation import validate_options

DASHBOARD = {
    "automation_enabled": True,
    "mode": "summer",
    "winter": {"min_temp": 19.5, "max_temp": 21.5, "target_temp": 21, "ac_mode": 5, "fan_speed": 2},
    "summer": {"min_temp": 24, "max_temp": 26, "target_temp": 25, "ac_mode": 2, "fan_speed": 3},
    "hysteresis_celsius": 0.5,
    "command_cooldown_seconds": 120,
    "off_repeat_count": 3,
    "aircon_scenes": {"winter": "", "summer": "scene-cool", "fan": "", "off": "scene-off"},
    "meter_device_id": "C1A2B3",
    "aircon_device_id": "02-2024",
    "time_windows": [{"days": [0, 1, 2, 3, 4], "start": "07:30", "end": "23:00"}],
    "timezone": "Europe/Paris",
    "poll_interval_seconds": 15,
    "idle_poll_interval_seconds": 300,
    "poll_warmup_minutes": 10,
    "adaptive_polling_enabled": True,
    "api_token": "secret-token",
    "api_secret": "secret",
    "poll_interval": 120,
    "scheduler_enabled": True,
    "last_run": "2025-01-01T00:00:00",
}


def test_current_keys_are_copied_and_the_rest_listed() -> None:
    options, ignored = options_from_dashboard(DASHBOARD)
    assert options == {key: value for key, value in DASHBOARD.items() if key in DEFAULT_OPTIONS}
    assert ignored == ["api_secret", "api_token", "last_run", "poll_interval", "scheduler_enabled"]
    assert validate_options(options, is_valid_timezone=lambda _name: True) == {}


def test_values_are_copies() -> None:
    settings_json: dict[str, Any] = {"time_windows": [{"days": [0]}], "min_temp": 20}
    options, _ = options_from_dashboard(settings_json)
    options["time_windows"][0]["days"].append(1)
    options["winter"]["min_temp"] = 0
    assert settings_json == {"time_windows": [{"days": [0]}], "min_temp": 20}


def test_legacy_top_level_profile_goes_to_the_current_season() -> None:
    legacy = {"mode": "summer", "min_temp": 23, "max_temp": 26, "target_temp": 24, "ac_mode": 2,
              "fan_speed": 4, "command_cooldown_seconds": 90}  # fmt: skip
    options, ignored = options_from_dashboard(legacy)
    assert options == {
        "mode": "summer",
        "summer": {"min_temp": 23, "max_temp": 26, "target_temp": 24, "ac_mode": 2, "fan_speed": 4},
        "command_cooldown_seconds": 90,
    }
    assert ignored == []


def test_legacy_profile_defaults_to_winter() -> None:
    assert options_from_dashboard({"target_temp": 22})[0] == {"winter": {"target_temp": 22}}
    assert options_from_dashboard({"mode": "bogus", "max_temp": 23})[0] == {
        "mode": "bogus",
        "winter": {"max_temp": 23},
    }


def test_profile_fields_win_over_legacy_ones() -> None:
    options, ignored = options_from_dashboard(
        {"winter": {"min_temp": 18}, "min_temp": 17, "max_temp": 23}
    )
    assert options == {"winter": {"max_temp": 23, "min_temp": 18}}
    assert ignored == ["min_temp"]


def test_legacy_fields_with_a_garbled_profile_are_listed() -> None:
    options, ignored = options_from_dashboard({"winter": "19-22", "min_temp": 19})
    assert options == {"winter": "19-22"}
    assert ignored == ["min_temp"]


def test_empty_file() -> None:
    assert options_from_dashboard({}) == ({}, [])
    assert options_from_dashboard({"winter": {}}) == ({"winter": {}}, [])


def test_the_pasted_text_is_parsed() -> None:
    assert parse_settings_json(json.dumps(DASHBOARD)) == DASHBOARD


def nested(depth: int) -> str:
    """A JSON object ``depth`` levels deep (the object itself is level 1)."""
    return '{"a": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{'mode': 'winter'}",
        '["mode", "winter"]',
        "12",
        '{"poll_interval_seconds": ' + "9" * 5000 + "}",  # past Python's digits limit
        nested(MAX_JSON_DEPTH + 1),
        '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}",  # the parser's RecursionError
        '{"a": ' + "[" * 100_000,
    ],
)
def test_what_is_not_a_plausible_file_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the one error the flow catches
        parse_settings_json(text)


def test_nesting_up_to_the_limit_is_accepted() -> None:
    assert parse_settings_json(nested(MAX_JSON_DEPTH)) == json.loads(nested(MAX_JSON_DEPTH))
    assert parse_settings_json("{}") == {}
