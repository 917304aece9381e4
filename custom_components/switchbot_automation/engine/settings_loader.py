"""Lenient loading of stored options into ``Settings``: a bad stored value never stops a tick.

The options flow refuses bad values, so anything odd found here comes from an old or
hand-edited entry. Each such value is replaced (missing or wrong type: the default; out of
range: clamped; a fraction for a whole-number option: rounded; an unusable window: dropped)
and reported through ``warn``. Messages are deterministic for a given input, so a caller that
reloads the same options can log each one once with ``WarnOnce``.
"""

from collections.abc import Mapping
from typing import Any, Self

from .options import (
    NUMBER_BOUNDS,
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
    SEASONS,
    NumberBound,
    Season,
)
from .settings import (
    DEFAULT_SETTINGS,
    AirconScenes,
    Profile,
    Settings,
    TimeWindow,
    Warn,
    as_number,
    ignore_warning,
    parse_window,
)


class WarnOnce:
    """Forward each distinct message to ``sink`` the first time only.

    Keep one instance per config entry and pass it as ``warn`` to the lenient loaders
    (``settings_from_options``, ``AutomationState.from_dict``), so reloading the same
    options does not repeat the same warning.
    """

    def __init__(self, sink: Warn) -> None:
        """Report through ``sink`` (e.g. a logger's ``warning``)."""
        self._sink = sink
        self._seen: set[str] = set()

    def __call__(self, message: str) -> None:
        """Report ``message`` unless it was already reported."""
        if message not in self._seen:
            self._seen.add(message)
            self._sink(message)


class _Reader:
    """Reads typed values out of one mapping, reporting every replaced value."""

    def __init__(self, data: Mapping[str, Any], prefix: str, warn: Warn) -> None:
        self._data = data
        self._prefix = prefix
        self._warn = warn

    def _replace(self, key: str, problem: str, replacement: object) -> None:
        self._warn(
            f"Option {self._prefix}{key}: {self._data[key]!r} {problem}, using {replacement!r}"
        )

    def child(self, key: str) -> Self:
        """Return a reader of the object under ``key`` (``{}`` if missing or not an object)."""
        value = self._data.get(key, {})
        if not isinstance(value, Mapping):
            self._warn(f"Option {self._prefix}{key}: {value!r} is not an object, using defaults")
            value = {}
        return type(self)(value, f"{self._prefix}{key}.", self._warn)

    def number(self, key: str, bound: NumberBound, default: float) -> float:
        """Return the number under ``key``, clamped into ``bound`` (and rounded if whole)."""
        if key not in self._data:
            return default
        number = as_number(self._data[key])
        if number is None:
            self._replace(key, "is not a finite number", default)
            return default
        value = float(round(number)) if bound.integer else number
        if value != number:
            self._replace(key, "is not a whole number", int(value))
        clamped = bound.clamp(value)
        if clamped != value:
            self._replace(key, f"is outside {bound.minimum:g}..{bound.maximum:g}", clamped)
        return clamped

    def integer(self, key: str, bound: NumberBound, default: int) -> int:
        """Return the whole number under ``key`` (see ``number``)."""
        return int(self.number(key, bound, default))

    def boolean(self, key: str, default: bool) -> bool:
        """Return the bool under ``key``; anything else is replaced by ``default``."""
        value = self._data.get(key, default)
        if isinstance(value, bool):
            return value
        self._replace(key, "is not a boolean", default)
        return default

    def string(self, key: str, default: str) -> str:
        """Return the string under ``key``; anything else is replaced by ``default``."""
        value = self._data.get(key, default)
        if isinstance(value, str):
            return value
        self._replace(key, "is not a string", default)
        return default

    def season(self, key: str, default: Season) -> Season:
        """Return ``"winter"`` or ``"summer"``; anything else is replaced by ``default``."""
        value = self._data.get(key, default)
        for season in SEASONS:
            if value == season:
                return season
        self._replace(key, "is not a season", default)
        return default


def _profile(reader: _Reader, default: Profile) -> Profile:
    def number(field: str) -> float:
        return reader.number(field, PROFILE_BOUNDS[field], getattr(default, field))

    def integer(field: str) -> int:
        return reader.integer(field, PROFILE_BOUNDS[field], getattr(default, field))

    return Profile(
        min_temp=number(PROFILE_MIN_TEMP),
        max_temp=number(PROFILE_MAX_TEMP),
        target_temp=number(PROFILE_TARGET_TEMP),
        ac_mode=integer(PROFILE_AC_MODE),
        fan_speed=integer(PROFILE_FAN_SPEED),
    )


def _scenes(reader: _Reader) -> AirconScenes:
    return AirconScenes(
        winter=reader.string(SCENE_WINTER, ""),
        summer=reader.string(SCENE_SUMMER, ""),
        fan=reader.string(SCENE_FAN, ""),
        off=reader.string(SCENE_OFF, ""),
    )


def _windows(options: Mapping[str, Any], warn: Warn) -> tuple[TimeWindow, ...]:
    if OPT_TIME_WINDOWS not in options:
        return DEFAULT_SETTINGS.time_windows
    raw = options[OPT_TIME_WINDOWS]
    if not isinstance(raw, list | tuple):
        warn(f"Option {OPT_TIME_WINDOWS}: {raw!r} is not a list, using the default window")
        return DEFAULT_SETTINGS.time_windows
    windows: list[TimeWindow] = []
    for index, item in enumerate(raw):
        window, errors = parse_window(item) if isinstance(item, Mapping) else (None, {})
        if window is None:
            problem = ", ".join(f"{field}: {key}" for field, key in errors.items())
            warn(
                f"Option {OPT_TIME_WINDOWS}[{index}]: {item!r} is not a valid window"
                f"{f' ({problem})' if problem else ''}, ignoring it"
            )
        else:
            windows.append(window)
    return tuple(windows)


def settings_from_options(options: Mapping[str, Any], *, warn: Warn | None = None) -> Settings:
    """Build ``Settings`` from stored options; never raises, whatever the options hold.

    Missing keys take their defaults silently; every replaced value is reported through
    ``warn`` (see the module docstring). ``min_temp > max_temp`` is kept as stored: the
    loader cannot tell which one is wrong, and the tick reports ``invalid_thresholds``.
    """
    report = warn or ignore_warning
    reader = _Reader(options, "", report)
    default = DEFAULT_SETTINGS

    def integer(key: str) -> int:
        return reader.integer(key, NUMBER_BOUNDS[key], getattr(default, key))

    return Settings(
        automation_enabled=reader.boolean(OPT_AUTOMATION_ENABLED, default.automation_enabled),
        mode=reader.season(OPT_MODE, default.mode),
        winter=_profile(reader.child(OPT_WINTER), default.winter),
        summer=_profile(reader.child(OPT_SUMMER), default.summer),
        hysteresis_celsius=reader.number(
            OPT_HYSTERESIS, NUMBER_BOUNDS[OPT_HYSTERESIS], default.hysteresis_celsius
        ),
        action_on_cooldown_seconds=integer(OPT_ACTION_ON_COOLDOWN),
        action_off_cooldown_seconds=integer(OPT_ACTION_OFF_COOLDOWN),
        command_cooldown_seconds=integer(OPT_COMMAND_COOLDOWN),
        off_repeat_count=integer(OPT_OFF_REPEAT_COUNT),
        off_repeat_interval_seconds=integer(OPT_OFF_REPEAT_INTERVAL),
        turn_off_outside_windows=reader.boolean(
            OPT_TURN_OFF_OUTSIDE_WINDOWS, default.turn_off_outside_windows
        ),
        fan_mode_during_window=reader.boolean(
            OPT_FAN_MODE_DURING_WINDOW, default.fan_mode_during_window
        ),
        aircon_scenes=_scenes(reader.child(OPT_AIRCON_SCENES)),
        meter_device_id=reader.string(OPT_METER_DEVICE_ID, default.meter_device_id),
        aircon_device_id=reader.string(OPT_AIRCON_DEVICE_ID, default.aircon_device_id),
        time_windows=_windows(options, report),
        timezone=reader.string(OPT_TIMEZONE, default.timezone),
        poll_interval_seconds=integer(OPT_POLL_INTERVAL),
        idle_poll_interval_seconds=integer(OPT_IDLE_POLL_INTERVAL),
        poll_warmup_minutes=integer(OPT_POLL_WARMUP),
        adaptive_polling_enabled=reader.boolean(
            OPT_ADAPTIVE_POLLING, default.adaptive_polling_enabled
        ),
        api_quota_warning_threshold=integer(OPT_QUOTA_WARNING_THRESHOLD),
        max_temperature_rate=reader.number(
            OPT_MAX_TEMPERATURE_RATE,
            NUMBER_BOUNDS[OPT_MAX_TEMPERATURE_RATE],
            default.max_temperature_rate,
        ),
        max_window_poll_interval_seconds=integer(OPT_MAX_WINDOW_INTERVAL),
        meter_update_interval_seconds=integer(OPT_METER_UPDATE_INTERVAL),
        idle_read_interval_seconds=integer(OPT_IDLE_READ_INTERVAL),
        daily_call_budget=integer(OPT_DAILY_CALL_BUDGET),
    )
