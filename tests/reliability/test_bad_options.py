"""Stored options of every wrong type or range (an entry edited by hand, an old version).

Each is replaced (the default, a clamped or rounded value, a window dropped) with a
warning; set-up succeeds and the ticks run. Unknown keys are ignored without a word: a
newer version's options, or a downgrade, must not fill the log.
"""

import logging
import math
from typing import Any, Final

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.switchbot_automation.const import DOMAIN
from custom_components.switchbot_automation.coordinator import TICK_FAILED_MESSAGE
from custom_components.switchbot_automation.engine.outcomes import Outcome
from custom_components.switchbot_automation.engine.settings import (
    NUMBER_BOUNDS,
    PROFILE_BOUNDS,
    default_options,
)
from custom_components.switchbot_automation.engine.settings_loader import settings_from_options
from switchbot_sim import SwitchBotSimulator
from tests.integration_support import async_advance_to, async_setup_with, copy_entry

from .support import sensor, set_room

LOGGER: Final = "custom_components.switchbot_automation"
BAD_NUMBERS: Final[list[Any]] = ["15", None, [15], {"value": 15}, True, -5, -1e300, 1e300]
BAD_BOOLEANS: Final[list[Any]] = ["true", 1, None, [], {}]
BAD_STRINGS: Final[list[Any]] = [5, None, ["x"], {"id": "x"}, True]
BAD_PROFILES: Final[list[Any]] = [
    "hot",
    None,
    [19, 22],
    {"min_temp": "19", "max_temp": None, "target_temp": 99, "ac_mode": -1, "fan_speed": 1e300},
]
BAD_SCENES: Final[list[Any]] = [
    "scene-off",
    None,
    ["scene-off"],
    {"winter": 5, "summer": None, "fan": ["x"], "off": {"id": 1}, "bogus": "x"},
]
BAD_WINDOWS: Final[list[Any]] = [
    "07:00-09:00",
    None,
    {"days": [0], "start": "07:00", "end": "09:00"},
    [None, 5, "07:00", [], {}],
    [
        {"days": "all", "start": "7", "end": "25:00"},
        {"days": [7, -1], "start": "07:00", "end": "07:00"},
        {"days": [True], "start": 700, "end": None},
        {"days": [], "start": "07:00", "end": "09:00"},
        {"days": [0, "x"], "start": "07:00:99", "end": "9"},
    ],
]
BAD_TIMEZONES: Final[list[Any]] = [
    "Mars/Olympus_Mons",
    "../../../etc/passwd",
    "/etc/localtime",
    "Europe/Paris\x00",
    "x" * 5000,
    "Europe/Paris ",
]


BOOLEAN_KEYS: Final = (
    "automation_enabled",
    "turn_off_outside_windows",
    "fan_mode_during_window",
    "adaptive_polling_enabled",
)
STRING_KEYS: Final = ("meter_device_id", "aircon_device_id", "timezone")


def _cases() -> list[Any]:
    """Each case stores one wrong value in every option of a kind, and names those options."""

    def case(keys: tuple[str, ...], value: Any, kind: str) -> Any:
        return pytest.param(keys, value, id=f"{kind}={value!r:.30}")

    numbers = tuple(NUMBER_BOUNDS)
    integers = tuple(key for key, bound in NUMBER_BOUNDS.items() if bound.integer)
    return [
        *(case(numbers, value, "numbers") for value in BAD_NUMBERS),
        case(integers, 20.5, "integers"),
        *(case(BOOLEAN_KEYS, value, "booleans") for value in BAD_BOOLEANS),
        *(case(STRING_KEYS, value, "strings") for value in BAD_STRINGS),
        *(case(("mode",), value, "mode") for value in ("autumn", 1, None)),
        *(case(("winter", "summer"), value, "profiles") for value in BAD_PROFILES),
        *(case(("aircon_scenes",), value, "scenes") for value in BAD_SCENES),
        *(case(("time_windows",), value, "windows") for value in BAD_WINDOWS),
        *(case(("timezone",), value, "timezone") for value in BAD_TIMEZONES),
    ]


def _warned_about(key: str, warnings: list[str]) -> bool:
    """Whether a warning names the option ``key`` (an invalid zone is reported as such)."""
    return any(
        f"Option {key}" in warning or (key == "timezone" and "Invalid time zone" in warning)
        for warning in warnings
    )


def _our_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith(LOGGER) and record.levelno == logging.WARNING
    ]


async def _assert_ticks_run(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Set-up succeeded, its tick ran, and so does the next one."""
    assert entry.state is ConfigEntryState.LOADED
    for _ in range(2):
        assert sensor(hass, entry, "last_outcome") in Outcome
        last_tick = sensor(hass, entry, "last_tick")
        next_tick = dt_util.parse_datetime(sensor(hass, entry, "next_tick"))
        assert next_tick is not None
        await async_advance_to(hass, freezer, next_tick)
        assert sensor(hass, entry, "last_tick") != last_tick
    assert TICK_FAILED_MESSAGE not in caplog.text
    assert not [
        record
        for record in caplog.records
        if record.name.startswith(LOGGER) and record.levelno >= logging.ERROR
    ]


@pytest.mark.parametrize(("keys", "value"), _cases())
async def test_bad_stored_option(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    *,
    caplog: pytest.LogCaptureFixture,
    keys: tuple[str, ...],
    value: Any,
) -> None:
    set_room(simulator, 18.0)
    entry = copy_entry(mock_config_entry, **dict.fromkeys(keys, value))
    await async_setup_with(hass, entry)
    await _assert_ticks_run(hass, freezer, entry, caplog)
    warnings = _our_warnings(caplog)
    for key in keys:
        assert _warned_about(key, warnings), key


@pytest.mark.parametrize(
    ("profile", "outcome"),
    [
        ({"min_temp": 30, "max_temp": 10}, "invalid_thresholds"),
        ({"unknown": 1, "min_temp": 19.0}, "winter_on"),
    ],
    ids=["min-above-max", "unknown-field"],
)
async def test_profile_kept_as_stored(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    *,
    caplog: pytest.LogCaptureFixture,
    profile: dict[str, Any],
    outcome: str,
) -> None:
    """Nothing to replace: the loader cannot tell which threshold is wrong; the tick can."""
    set_room(simulator, 18.0)
    await async_setup_with(hass, mock_config_entry, winter=profile)
    assert sensor(hass, mock_config_entry, "last_outcome") == outcome
    await _assert_ticks_run(hass, freezer, mock_config_entry, caplog)


async def test_every_option_wrong_at_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SwitchBotSimulator,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Not one usable value (not even the devices): set-up succeeds, ticks run, no command."""
    bad: dict[str, Any] = {key: ["wrong"] for key in default_options()}
    bad |= {"timezone": "Nowhere/Never", "api_token": "x", "scheduler_enabled": "yes"}
    set_room(simulator, 18.0)
    await async_setup_with(hass, mock_config_entry, **bad)
    await _assert_ticks_run(hass, freezer, mock_config_entry, caplog)
    # The default window (working days 07:00-22:00) read in UTC: 06:30 is outside, where the
    # default (``turn_off_outside_windows``) is an OFF; without a usable AC, none is sent.
    assert sensor(hass, mock_config_entry, "last_outcome") == "not_configured"
    assert simulator.commands_sent() == []
    warnings = _our_warnings(caplog)
    assert all(_warned_about(key, warnings) for key in default_options())
    assert not any("api_token" in warning or "scheduler_enabled" in warning for warning in warnings)


async def test_unknown_options_are_ignored_silently(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    unknown = {"api_token": "xyz", "poll_interval": 5, "nested": {"a": [1]}, "": None}
    await async_setup_with(hass, mock_config_entry, **unknown)
    await _assert_ticks_run(hass, freezer, mock_config_entry, caplog)
    assert _our_warnings(caplog) == []


@pytest.mark.parametrize(
    "value",
    [10**400, -(10**400), math.nan, math.inf, -math.inf, 10**20],
    ids=["huge-int", "huge-negative-int", "nan", "inf", "-inf", "big-int"],
)
def test_numbers_no_float_can_hold_are_replaced(value: Any) -> None:
    """Python's ``json`` (a dashboard ``settings.json``) reads 10**400 as an integer."""
    warnings: list[str] = []
    profile = dict.fromkeys(PROFILE_BOUNDS, value)
    options = {
        **dict.fromkeys(NUMBER_BOUNDS, value),
        "winter": profile,
        "summer": profile,
    }
    settings = settings_from_options(options, warn=warnings.append)
    for key, bound in NUMBER_BOUNDS.items():
        assert bound.minimum <= getattr(settings, key) <= bound.maximum
    for season in (settings.winter, settings.summer):
        for field, bound in PROFILE_BOUNDS.items():
            assert bound.minimum <= getattr(season, field) <= bound.maximum
    assert len(warnings) == len(NUMBER_BOUNDS) + 2 * len(PROFILE_BOUNDS)


@pytest.mark.parametrize(
    "data",
    [
        {"secret": "s"},
        {"token": 5, "secret": "s"},
        {"token": "t", "secret": None},
        {"token": ["t"], "secret": {"s": 1}},
    ],
    ids=["no-token", "token-not-a-string", "secret-none", "neither-a-string"],
)
async def test_credentials_missing_from_the_entry_start_reauth(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, data: dict[str, Any]
) -> None:
    entry = copy_entry(
        mock_config_entry, data={**data, "api_url": mock_config_entry.data["api_url"]}
    )
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_api_url_not_a_string_fails_set_up_cleanly(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """The set-up fails; undoing it finds the coordinator complete (no stray error)."""
    entry = copy_entry(mock_config_entry, data={**mock_config_entry.data, "api_url": 8765})
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
