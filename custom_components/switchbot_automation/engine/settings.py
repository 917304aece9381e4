"""Typed model of the options, their defaults, and the parsing of single option values.

``Settings`` is what the engine reads: every option (``docs/behaviour.md``, "Settings")
as an attribute of the same name, already typed. It is built by the lenient loader
(``settings_loader.settings_from_options``); the strict checks for the flows are in
``validation``. Both parse values with the helpers below so they agree on what is valid.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import time
import math
import re
from typing import Any, Final

from .options import (
    ERR_INVALID_DAY,
    ERR_INVALID_TIME,
    ERR_NO_DAYS,
    ERR_NOT_A_LIST,
    ERR_NOT_A_NUMBER,
    ERR_NOT_AN_INTEGER,
    ERR_OUT_OF_RANGE,
    ERR_SAME_START_END,
    OPT_ACTION_OFF_COOLDOWN,
    OPT_ACTION_ON_COOLDOWN,
    OPT_ADAPTIVE_POLLING,
    OPT_AIRCON_DEVICE_ID,
    OPT_AIRCON_SCENES,
    OPT_AUTOMATION_ENABLED,
    OPT_COMMAND_COOLDOWN,
    OPT_DAILY_CALL_BUDGET,
    OPT_FAN_MODE_DURING_WINDOW,
    OPT_HYSTERESIS,
    OPT_IDLE_POLL_INTERVAL,
    OPT_IDLE_READ_INTERVAL,
    OPT_MAX_TEMPERATURE_RATE,
    OPT_MAX_WINDOW_INTERVAL,
    OPT_METER_DEVICE_ID,
    OPT_METER_UPDATE_INTERVAL,
    OPT_MODE,
    OPT_OFF_REPEAT_COUNT,
    OPT_OFF_REPEAT_INTERVAL,
    OPT_POLL_INTERVAL,
    OPT_POLL_WARMUP,
    OPT_QUOTA_WARNING_THRESHOLD,
    OPT_SUMMER,
    OPT_TIME_WINDOWS,
    OPT_TIMEZONE,
    OPT_TURN_OFF_OUTSIDE_WINDOWS,
    OPT_WINTER,
    PROFILE_AC_MODE,
    PROFILE_BOUNDS,
    PROFILE_FAN_SPEED,
    PROFILE_MAX_TEMP,
    PROFILE_MIN_TEMP,
    PROFILE_TARGET_TEMP,
    SCENE_FAN,
    SCENE_OFF,
    SCENE_SUMMER,
    SCENE_WINTER,
    SEASON_WINTER,
    WINDOW_DAYS,
    WINDOW_END,
    WINDOW_START,
    NumberBound,
    Season,
)

_TIME_PATTERN: Final = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9]))?")
# A multiple select selector returns its values as strings: accept the weekday digits too.
_DAY_STRINGS: Final = {str(day): day for day in range(7)}

type Warn = Callable[[str], None]
"""Where lenient loading (options, stored state) reports each value it replaced."""


def ignore_warning(_message: str) -> None:
    """Discard a warning: lenient loading called without ``warn``."""


class OptionValueError(ValueError):
    """A single option value is unusable; ``error_key`` is the flows' translation key."""

    def __init__(self, error_key: str) -> None:
        """Keep the error key so callers can report it per field."""
        super().__init__(error_key)
        self.error_key = error_key


@dataclass(frozen=True, slots=True)
class Profile:
    """One season's thresholds and the setting sent to the air conditioner."""

    min_temp: float
    max_temp: float
    target_temp: float
    ac_mode: int
    fan_speed: int

    def is_valid(self) -> bool:
        """Whether every field is a finite number within its bounds.

        The loader always produces valid profiles; this guards a ``Settings`` built by hand.
        ``min_temp > max_temp`` is a separate condition (``invalid_thresholds``).
        """
        return all(
            number_error(getattr(self, key), bound) is None for key, bound in PROFILE_BOUNDS.items()
        )

    def to_option(self) -> dict[str, Any]:
        """Return the option value (a JSON object) of this profile."""
        return {
            PROFILE_MIN_TEMP: self.min_temp,
            PROFILE_MAX_TEMP: self.max_temp,
            PROFILE_TARGET_TEMP: self.target_temp,
            PROFILE_AC_MODE: self.ac_mode,
            PROFILE_FAN_SPEED: self.fan_speed,
        }


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """A weekly regulation window, read in wall-clock time of the configured zone.

    ``days`` are the weekdays (0 = Monday) on which the window *starts*; when ``start > end``
    it crosses midnight and ends on the following day.
    """

    days: tuple[int, ...]
    start: time
    end: time

    @property
    def crosses_midnight(self) -> bool:
        """Whether the window ends on the day after it starts."""
        return self.start > self.end

    def to_option(self) -> dict[str, Any]:
        """Return the option value, times as ``"HH:MM"`` (``"HH:MM:SS"`` if seconds are set)."""
        return {
            WINDOW_DAYS: list(self.days),
            WINDOW_START: format_time(self.start),
            WINDOW_END: format_time(self.end),
        }


@dataclass(frozen=True, slots=True)
class AirconScenes:
    """Scene ids used instead of direct commands; ``""`` means "no scene, send the command"."""

    winter: str = ""
    summer: str = ""
    fan: str = ""
    off: str = ""

    def for_season(self, season: Season) -> str:
        """Return the ON scene of ``season``."""
        return self.winter if season == SEASON_WINTER else self.summer

    def to_option(self) -> dict[str, str]:
        """Return the option value of the scenes."""
        return {
            SCENE_WINTER: self.winter,
            SCENE_SUMMER: self.summer,
            SCENE_FAN: self.fan,
            SCENE_OFF: self.off,
        }


@dataclass(frozen=True, slots=True)
class Settings:
    """Every option, typed; attribute names are the option keys."""

    automation_enabled: bool
    mode: Season
    winter: Profile
    summer: Profile
    hysteresis_celsius: float
    action_on_cooldown_seconds: int
    action_off_cooldown_seconds: int
    command_cooldown_seconds: int
    off_repeat_count: int
    off_repeat_interval_seconds: int
    turn_off_outside_windows: bool
    fan_mode_during_window: bool
    aircon_scenes: AirconScenes
    meter_device_id: str
    aircon_device_id: str
    time_windows: tuple[TimeWindow, ...]
    timezone: str
    poll_interval_seconds: int
    idle_poll_interval_seconds: int
    poll_warmup_minutes: int
    adaptive_polling_enabled: bool
    api_quota_warning_threshold: int
    max_temperature_rate: float
    max_window_poll_interval_seconds: int
    meter_update_interval_seconds: int
    idle_read_interval_seconds: int
    daily_call_budget: int

    @property
    def active_profile(self) -> Profile:
        """The profile of the selected season."""
        return self.winter if self.mode == SEASON_WINTER else self.summer

    def to_options(self) -> dict[str, Any]:
        """Return these settings as a fresh, JSON-serialisable options dict."""
        return {
            OPT_AUTOMATION_ENABLED: self.automation_enabled,
            OPT_MODE: self.mode,
            OPT_WINTER: self.winter.to_option(),
            OPT_SUMMER: self.summer.to_option(),
            OPT_HYSTERESIS: self.hysteresis_celsius,
            OPT_ACTION_ON_COOLDOWN: self.action_on_cooldown_seconds,
            OPT_ACTION_OFF_COOLDOWN: self.action_off_cooldown_seconds,
            OPT_COMMAND_COOLDOWN: self.command_cooldown_seconds,
            OPT_OFF_REPEAT_COUNT: self.off_repeat_count,
            OPT_OFF_REPEAT_INTERVAL: self.off_repeat_interval_seconds,
            OPT_TURN_OFF_OUTSIDE_WINDOWS: self.turn_off_outside_windows,
            OPT_FAN_MODE_DURING_WINDOW: self.fan_mode_during_window,
            OPT_AIRCON_SCENES: self.aircon_scenes.to_option(),
            OPT_METER_DEVICE_ID: self.meter_device_id,
            OPT_AIRCON_DEVICE_ID: self.aircon_device_id,
            OPT_TIME_WINDOWS: [window.to_option() for window in self.time_windows],
            OPT_TIMEZONE: self.timezone,
            OPT_POLL_INTERVAL: self.poll_interval_seconds,
            OPT_IDLE_POLL_INTERVAL: self.idle_poll_interval_seconds,
            OPT_POLL_WARMUP: self.poll_warmup_minutes,
            OPT_ADAPTIVE_POLLING: self.adaptive_polling_enabled,
            OPT_QUOTA_WARNING_THRESHOLD: self.api_quota_warning_threshold,
            OPT_MAX_TEMPERATURE_RATE: self.max_temperature_rate,
            OPT_MAX_WINDOW_INTERVAL: self.max_window_poll_interval_seconds,
            OPT_METER_UPDATE_INTERVAL: self.meter_update_interval_seconds,
            OPT_IDLE_READ_INTERVAL: self.idle_read_interval_seconds,
            OPT_DAILY_CALL_BUDGET: self.daily_call_budget,
        }


def as_number(value: object) -> float | None:
    """Return ``value`` as a float when it is a finite int or float (not a bool), else None.

    Strings are not numbers here: options come from number selectors or JSON numbers, and a
    string in their place is a corrupt entry, not something to guess from. An integer too
    large for a float (``10**400`` in a hand-edited entry or an imported ``settings.json``)
    is not finite either.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def number_error(value: object, bound: NumberBound) -> str | None:
    """Return the error key of ``value`` against ``bound``, or None when it is acceptable.

    A whole float (``15.0``, as number selectors return) is accepted for an integer option.
    """
    number = as_number(value)
    if number is None:
        return ERR_NOT_A_NUMBER
    if bound.integer and not number.is_integer():
        return ERR_NOT_AN_INTEGER
    if not bound.minimum <= number <= bound.maximum:
        return ERR_OUT_OF_RANGE
    return None


def parse_time(value: object) -> time:
    """Parse ``"HH:MM"`` or ``"HH:MM:SS"`` (the form Home Assistant's time selector returns).

    Raises ``OptionValueError(invalid_time)``.
    """
    match = _TIME_PATTERN.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise OptionValueError(ERR_INVALID_TIME)
    hours, minutes, seconds = match.groups()
    return time(int(hours), int(minutes), int(seconds or 0))


def format_time(value: time) -> str:
    """Format as ``"HH:MM"``, or ``"HH:MM:SS"`` when the seconds are not zero."""
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def parse_days(value: object) -> tuple[int, ...]:
    """Parse a list of weekdays (0 = Monday) into a sorted tuple without duplicates.

    The strings ``"0"``..``"6"`` are accepted as well. Raises ``OptionValueError``
    (``not_a_list``, ``no_days``, ``invalid_day``).
    """
    if not isinstance(value, list | tuple):
        raise OptionValueError(ERR_NOT_A_LIST)
    if not value:
        raise OptionValueError(ERR_NO_DAYS)
    days: set[int] = set()
    for item in value:
        day = _DAY_STRINGS.get(item, item) if isinstance(item, str) else item
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            raise OptionValueError(ERR_INVALID_DAY)
        days.add(day)
    return tuple(sorted(days))


def parse_window(raw: Mapping[str, Any]) -> tuple[TimeWindow | None, dict[str, str]]:
    """Parse one window option; return the window, or None and the errors by field.

    The fields are ``days``, ``start`` and ``end``; ``same_start_end`` is reported on
    ``end``, next to the value to change.
    """
    errors: dict[str, str] = {}
    parsed: dict[str, Any] = {}
    for field, parser in (
        (WINDOW_DAYS, parse_days),
        (WINDOW_START, parse_time),
        (WINDOW_END, parse_time),
    ):
        try:
            parsed[field] = parser(raw.get(field))
        except OptionValueError as err:
            errors[field] = err.error_key
    if WINDOW_START in parsed and parsed[WINDOW_START] == parsed.get(WINDOW_END):
        errors[WINDOW_END] = ERR_SAME_START_END
    if errors:
        return None, errors
    return TimeWindow(parsed[WINDOW_DAYS], parsed[WINDOW_START], parsed[WINDOW_END]), {}


# Defaults. The default window covers working days, Monday to Friday 07:00-22:00: a new entry
# regulates at plausible times until the user sets their own windows. Devices are unset ("")
# until the config flow picks them; the engine reports ``not_configured`` meanwhile. The last
# five options are this integration's quota savings (``polling``); rate 0, idle reads 0
# (every tick) and budget 0 give the original dashboard's polling.
DEFAULT_SETTINGS: Final = Settings(
    automation_enabled=True,
    mode=SEASON_WINTER,
    winter=Profile(min_temp=19.0, max_temp=22.0, target_temp=21.0, ac_mode=5, fan_speed=3),
    summer=Profile(min_temp=24.0, max_temp=27.0, target_temp=25.0, ac_mode=2, fan_speed=3),
    hysteresis_celsius=0.3,
    action_on_cooldown_seconds=0,
    action_off_cooldown_seconds=0,
    command_cooldown_seconds=60,
    off_repeat_count=1,
    off_repeat_interval_seconds=10,
    turn_off_outside_windows=False,
    fan_mode_during_window=False,
    aircon_scenes=AirconScenes(),
    meter_device_id="",
    aircon_device_id="",
    time_windows=(TimeWindow(days=(0, 1, 2, 3, 4), start=time(7, 0), end=time(22, 0)),),
    timezone="",
    poll_interval_seconds=15,
    idle_poll_interval_seconds=600,
    poll_warmup_minutes=15,
    adaptive_polling_enabled=True,
    api_quota_warning_threshold=250,
    max_temperature_rate=0.2,
    max_window_poll_interval_seconds=900,
    meter_update_interval_seconds=120,
    idle_read_interval_seconds=1800,
    daily_call_budget=8000,
)

# The default options as stored in a config entry. Shared: never mutate it, use
# ``default_options()`` for a copy to modify.
DEFAULT_OPTIONS: Final[dict[str, Any]] = DEFAULT_SETTINGS.to_options()


def default_options() -> dict[str, Any]:
    """Return a fresh copy of the default options, safe to modify."""
    return DEFAULT_SETTINGS.to_options()
