"""Tests of the lenient loading of stored options."""

from datetime import time
from typing import Any

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.switchbot_automation.engine.settings import (
    DEFAULT_OPTIONS,
    DEFAULT_SETTINGS,
    MAX_TIME_WINDOWS,
    Profile,
    Settings,
    TimeWindow,
    default_options,
)
from custom_components.switchbot_automation.engine.settings_loader import (
    WarnOnce,
    settings_from_options,
)
from tests.engine.strategies import JSON, OPTIONS


def load(options: dict[str, Any]) -> tuple[Settings, list[str]]:
    warnings: list[str] = []
    return settings_from_options(options, warn=warnings.append), warnings


def test_missing_keys_take_defaults_silently() -> None:
    assert load({}) == (DEFAULT_SETTINGS, [])
    assert load(default_options()) == (DEFAULT_SETTINGS, [])
    assert settings_from_options({}) == DEFAULT_SETTINGS


def test_options_round_trip() -> None:
    options = default_options()
    options.update(
        mode="summer",
        meter_device_id="meter",
        timezone="Europe/Paris",
        time_windows=[{"days": ["5", 6], "start": "22:00:00", "end": "02:00"}],
    )
    loaded, warnings = load(options)
    assert warnings == []
    assert loaded.mode == "summer"
    assert loaded.time_windows == (TimeWindow((5, 6), time(22), time(2)),)
    assert loaded.to_options()["time_windows"] == [
        {"days": [5, 6], "start": "22:00", "end": "02:00"}
    ]


def test_whole_numbers_become_floats_for_temperatures() -> None:
    loaded, warnings = load({"winter": {"min_temp": 20}, "hysteresis_celsius": 1})
    assert warnings == []
    assert loaded.winter == Profile(20.0, 22.0, 21.0, 5, 3)
    assert isinstance(loaded.winter.min_temp, float)
    assert isinstance(loaded.hysteresis_celsius, float)
    # A whole float is accepted for a whole-number option, as number selectors return.
    assert load({"poll_interval_seconds": 30.0}) == (
        settings_from_options({"poll_interval_seconds": 30}),
        [],
    )
    assert isinstance(load({"poll_interval_seconds": 30.0})[0].poll_interval_seconds, int)


@pytest.mark.parametrize(
    ("options", "attribute", "expected", "warning"),
    [
        ({"poll_interval_seconds": 5}, "poll_interval_seconds", 15, "is outside 15..3600"),
        ({"idle_poll_interval_seconds": 10**9}, "idle_poll_interval_seconds", 86400, "outside"),
        ({"hysteresis_celsius": -1}, "hysteresis_celsius", 0.0, "outside"),
        ({"off_repeat_count": 0}, "off_repeat_count", 1, "outside"),
        ({"poll_interval_seconds": 15.6}, "poll_interval_seconds", 16, "not a whole number"),
        ({"max_temperature_rate": 9}, "max_temperature_rate", 5.0, "outside"),
        (
            {"max_window_poll_interval_seconds": 1},
            "max_window_poll_interval_seconds",
            15,
            "outside",
        ),
        ({"meter_update_interval_seconds": 4000}, "meter_update_interval_seconds", 3600, "outside"),
        ({"idle_read_interval_seconds": -5}, "idle_read_interval_seconds", 0, "outside"),
        ({"daily_call_budget": 20000}, "daily_call_budget", 10000, "outside"),
    ],
)
def test_out_of_range_is_clamped_with_a_warning(
    options: dict[str, Any], attribute: str, expected: float, warning: str
) -> None:
    loaded, warnings = load(options)
    assert getattr(loaded, attribute) == expected
    assert len(warnings) == 1
    assert warning in warnings[0]
    assert attribute in warnings[0]


def test_fraction_out_of_range_reports_both() -> None:
    loaded, warnings = load({"off_repeat_count": 12.7})
    assert loaded.off_repeat_count == 10
    assert len(warnings) == 2


def test_profile_fields_are_clamped() -> None:
    loaded, warnings = load({"summer": {"min_temp": 5, "ac_mode": 9, "fan_speed": 2.4}})
    assert loaded.summer == Profile(10.0, 27.0, 25.0, 5, 2)
    assert isinstance(loaded.summer.min_temp, float)
    assert len(warnings) == 3
    assert all(warning.startswith("Option summer.") for warning in warnings)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("automation_enabled", "yes"),
        ("automation_enabled", 1),
        ("mode", "autumn"),
        ("mode", None),
        ("hysteresis_celsius", "0.5"),
        ("poll_interval_seconds", None),
        ("poll_interval_seconds", [15]),
        ("poll_interval_seconds", float("nan")),
        ("poll_warmup_minutes", True),
        ("max_temperature_rate", "fast"),
        ("daily_call_budget", None),
        ("meter_device_id", 12),
        ("timezone", None),
        ("winter", "19-22"),
        ("summer", [24, 27]),
        ("aircon_scenes", "scene"),
        ("time_windows", {"days": [0]}),
        ("time_windows", None),
    ],
)
def test_wrong_types_take_the_default_with_a_warning(key: str, value: object) -> None:
    loaded, warnings = load({key: value})
    assert loaded == DEFAULT_SETTINGS
    assert len(warnings) == 1
    assert key in warnings[0]


def test_wrong_profile_field_takes_the_season_default() -> None:
    loaded, warnings = load({"summer": {"target_temp": "cold", "max_temp": None}})
    assert loaded.summer == DEFAULT_SETTINGS.summer
    assert [warning.split(":")[0] for warning in warnings] == [
        "Option summer.max_temp",
        "Option summer.target_temp",
    ]


def test_min_above_max_is_kept_for_the_tick_to_report() -> None:
    loaded, warnings = load({"winter": {"min_temp": 25, "max_temp": 20}})
    assert (loaded.winter.min_temp, loaded.winter.max_temp) == (25.0, 20.0)
    assert warnings == []


def test_scenes() -> None:
    loaded, warnings = load({"aircon_scenes": {"winter": "s1", "fan": 3, "extra": "x"}})
    assert (loaded.aircon_scenes.winter, loaded.aircon_scenes.fan) == ("s1", "")
    assert len(warnings) == 1
    assert "aircon_scenes.fan" in warnings[0]


def test_invalid_windows_are_ignored() -> None:
    good = {"days": [0], "start": "08:00", "end": "09:00"}
    loaded, warnings = load(
        {
            "time_windows": [
                good,
                {"days": [], "start": "08:00", "end": "09:00"},
                {"days": [1], "start": "08:00", "end": "08:00"},
                "08:00-09:00",
            ]
        }
    )
    assert loaded.time_windows == (TimeWindow((0,), time(8), time(9)),)
    assert len(warnings) == 3
    assert "time_windows[1]" in warnings[0]
    assert "days: no_days" in warnings[0]
    assert "end: same_start_end" in warnings[1]
    assert "time_windows[3]" in warnings[2]


def test_equal_thresholds_without_hysteresis_are_kept_for_the_tick_to_report() -> None:
    loaded, warnings = load({"hysteresis_celsius": 0, "winter": {"min_temp": 21, "max_temp": 21}})
    assert (loaded.winter.min_temp, loaded.winter.max_temp) == (21.0, 21.0)
    assert not loaded.winter.band_works(loaded.hysteresis_celsius)
    assert warnings == []


def test_only_the_first_windows_are_kept() -> None:
    windows = [
        {"days": [index % 7], "start": f"{index % 24:02}:00", "end": f"{index % 24:02}:30"}
        for index in range(MAX_TIME_WINDOWS + 30)
    ]
    loaded, warnings = load({"time_windows": windows})
    assert [window.to_option() for window in loaded.time_windows] == windows[:MAX_TIME_WINDOWS]
    assert warnings == [
        f"Option time_windows: {MAX_TIME_WINDOWS + 30} windows, more than {MAX_TIME_WINDOWS},"
        f" keeping the first {MAX_TIME_WINDOWS}"
    ]
    loaded, warnings = load({"time_windows": windows[:MAX_TIME_WINDOWS]})
    assert len(loaded.time_windows) == MAX_TIME_WINDOWS
    assert warnings == []


def test_empty_window_list_means_never() -> None:
    assert load({"time_windows": []}) == (
        settings_from_options({"time_windows": ()}),
        [],
    )
    assert load({"time_windows": []})[0].time_windows == ()


def test_warn_once() -> None:
    seen: list[str] = []
    warn = WarnOnce(seen.append)
    for _ in range(3):
        settings_from_options({"poll_interval_seconds": 1, "mode": "x"}, warn=warn)
    assert len(seen) == 2


@settings(max_examples=300, deadline=None)
@given(options=OPTIONS | st.dictionaries(st.text(max_size=8), JSON, max_size=5))
def test_never_raises(options: dict[str, Any]) -> None:
    loaded = settings_from_options(options, warn=lambda _message: None)
    assert loaded.mode in ("winter", "summer")
    assert 15 <= loaded.poll_interval_seconds <= 3600
    assert isinstance(loaded.poll_interval_seconds, int)
    assert 10 <= loaded.winter.min_temp <= 35
    assert all(isinstance(window, TimeWindow) for window in loaded.time_windows)
    assert set(loaded.to_options()) == set(DEFAULT_OPTIONS)
