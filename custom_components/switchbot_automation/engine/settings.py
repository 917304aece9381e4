"""The options, declared once: ``Settings``, the objects it holds, their defaults and parsing.

``Settings`` is what the engine reads: every option (``docs/behaviour.md``, "Settings")
as an attribute of the same name, already typed. Each field carries its default and is
annotated with its ``OptionSpec`` (kind, bounds, and the page, unit and step the flows show);
``option_specs`` reads the declarations back for ``to_options``, the lenient loader
(``settings_loader.settings_from_options``), the strict checks of the flows (``validation``)
and the flows' forms (``flow_schemas``). Single values are parsed with the helpers below, so
all of them agree on what is valid.
"""

from collections.abc import Callable, Mapping
from dataclasses import Field, asdict, dataclass, fields
from datetime import time
from functools import cache
import math
import re
from typing import Annotated, Any, ClassVar, Final, Protocol, get_args

from .options import (
    CELSIUS,
    MINUTES,
    SECONDS,
    WATTS,
    Kind,
    NumberBound,
    OptionError,
    OptionSpec,
    Page,
    Season,
)

_TIME_PATTERN: Final = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9]))?")
# A Home Assistant entity id: ``domain.object_id``, lower case letters, digits, underscores.
_ENTITY_ID_PATTERN: Final = re.compile(r"[a-z0-9_]+\.[a-z0-9_]+")
# A multiple select selector returns its values as strings: accept the weekday digits too.
_DAY_STRINGS: Final = {str(day): day for day in range(7)}

type Warn = Callable[[str], None]
"""Where lenient loading (options, stored state) reports each value it replaced."""


def ignore_warning(_message: str) -> None:
    """Discard a warning: lenient loading called without ``warn``."""


class OptionValueError(ValueError):
    """A single option value is unusable; ``error_key`` is the flows' translation key."""

    def __init__(self, error_key: OptionError) -> None:
        """Keep the error key so callers can report it per field."""
        super().__init__(error_key)
        self.error_key = error_key


# --- Declarations ------------------------------------------------------------------------


class DeclaredOptions(Protocol):
    """A dataclass whose fields are declared options: ``Settings``, a ``Profile``, the scenes."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]


_TEMPERATURE_STEP: Final = 0.1
_TARGET_STEP: Final = 0.5
"""An IR air conditioner takes whole or half degrees at best."""
_RATE_STEP: Final = 0.01
"""°C per minute: a room warms or cools by a few hundredths to a few tenths."""


def _number(
    minimum: float, maximum: float, step: float, unit: str, page: Page | None = None
) -> OptionSpec:
    """Declare a decimal number."""
    bound = NumberBound(float(minimum), float(maximum), integer=False)
    return OptionSpec(Kind.NUMBER, page, bound, step, unit)


def _integer(
    minimum: int, maximum: int, page: Page | None = None, unit: str | None = None
) -> OptionSpec:
    """Declare a whole number, shown in a number box."""
    bound = NumberBound(float(minimum), float(maximum), integer=True)
    return OptionSpec(Kind.NUMBER, page, bound, unit=unit)


def _choice(minimum: int, maximum: int) -> OptionSpec:
    """Declare a whole number of a profile, chosen from a list (translated by its key)."""
    return OptionSpec(Kind.CHOICE, bound=NumberBound(float(minimum), float(maximum), integer=True))


_SCENE: Final = OptionSpec(Kind.TEXT)


@dataclass(frozen=True, slots=True)
class Profile:
    """One season's thresholds and the setting sent to the air conditioner."""

    min_temp: Annotated[float, _number(10, 35, _TEMPERATURE_STEP, CELSIUS)]
    max_temp: Annotated[float, _number(10, 35, _TEMPERATURE_STEP, CELSIUS)]
    target_temp: Annotated[float, _number(16, 30, _TARGET_STEP, CELSIUS)]
    ac_mode: Annotated[int, _choice(0, 5)]
    fan_speed: Annotated[int, _choice(1, 4)]

    def is_valid(self) -> bool:
        """Whether every field is a finite number within its bounds.

        The loader always produces valid profiles; this guards a ``Settings`` built by hand.
        ``min_temp > max_temp`` is a separate condition (``invalid_thresholds``).
        """
        return all(
            number_error(getattr(self, key), bound) is None for key, bound in PROFILE_BOUNDS.items()
        )

    def band_works(self, hysteresis: float) -> bool:
        """Whether the thresholds, widened by ``hysteresis``, leave room between ON and OFF.

        The tick turns ON at ``min_temp - hysteresis`` and OFF at ``max_temp + hysteresis``
        (winter; mirrored in summer). A minimum above the maximum, or a band where both hold
        at once (equal thresholds without hysteresis), would toggle the unit at every tick:
        the flows refuse it (``min_above_max``, ``band_too_narrow``) and the tick reports
        ``invalid_thresholds``.
        """
        return (
            self.min_temp <= self.max_temp
            and self.min_temp - hysteresis < self.max_temp + hysteresis
        )


@dataclass(frozen=True, slots=True)
class AirconScenes:
    """Scene ids used instead of direct commands; ``""`` means "no scene, send the command"."""

    winter: Annotated[str, _SCENE] = ""
    summer: Annotated[str, _SCENE] = ""
    fan: Annotated[str, _SCENE] = ""
    off: Annotated[str, _SCENE] = ""

    def for_season(self, season: Season) -> str:
        """Return the ON scene of ``season``."""
        return self.winter if season == Season.WINTER else self.summer


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
            "days": list(self.days),
            "start": format_time(self.start),
            "end": format_time(self.end),
        }


MAX_TIME_WINDOWS: Final = 50
"""The most ``time_windows`` an entry holds: a week of several windows a day, with room to
spare. More would only slow every window computation, which runs in the event loop; the
flows refuse more (``too_many_windows``) and the loader keeps the first ones."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Every option, typed and declared, with its default; attribute names are the option keys.

    The fields are in the order the flows show them, page by page. The default window covers
    working days, Monday to Friday 07:00-22:00: a new entry regulates at plausible times
    until the user sets their own windows. Devices are unset ("") until the config flow
    picks them; the engine reports ``not_configured`` meanwhile. The last five polling
    options are this integration's quota savings (``polling``); rate 0, idle reads 0 (every
    tick) and budget 0 give the original dashboard's polling. The Home Assistant entities
    used as inputs (``inputs``) are unset ("" or none) by default: the SwitchBot meter is
    then the only source, as before they existed.
    """

    mode: Annotated[Season, OptionSpec(Kind.SEASON, Page.PROFILES)] = Season.WINTER
    hysteresis_celsius: Annotated[
        float, _number(0, 5, _TEMPERATURE_STEP, CELSIUS, Page.PROFILES)
    ] = 0.3
    winter: Annotated[Profile, OptionSpec(Kind.OBJECT, Page.PROFILES)] = Profile(
        min_temp=19.0, max_temp=22.0, target_temp=21.0, ac_mode=5, fan_speed=3
    )
    summer: Annotated[Profile, OptionSpec(Kind.OBJECT, Page.PROFILES)] = Profile(
        min_temp=24.0, max_temp=27.0, target_temp=25.0, ac_mode=2, fan_speed=3
    )
    automation_enabled: Annotated[bool, OptionSpec(Kind.BOOLEAN, Page.ACTIONS)] = True
    aircon_scenes: Annotated[AirconScenes, OptionSpec(Kind.OBJECT, Page.ACTIONS)] = AirconScenes()
    command_cooldown_seconds: Annotated[int, _integer(0, 3600, Page.ACTIONS, SECONDS)] = 60
    action_on_cooldown_seconds: Annotated[int, _integer(0, 3600, Page.ACTIONS, SECONDS)] = 0
    action_off_cooldown_seconds: Annotated[int, _integer(0, 3600, Page.ACTIONS, SECONDS)] = 0
    off_repeat_count: Annotated[int, _integer(1, 10, Page.ACTIONS)] = 1
    off_repeat_interval_seconds: Annotated[int, _integer(1, 600, Page.ACTIONS, SECONDS)] = 10
    # On by default so that a unit is never left running all night by a new entry's windows.
    turn_off_outside_windows: Annotated[bool, OptionSpec(Kind.BOOLEAN, Page.ACTIONS)] = True
    fan_mode_during_window: Annotated[bool, OptionSpec(Kind.BOOLEAN, Page.ACTIONS)] = False
    max_reading_age_minutes: Annotated[int, _integer(5, 1440, Page.ACTIONS, MINUTES)] = 30
    meter_device_id: Annotated[str, OptionSpec(Kind.TEXT, Page.DEVICES)] = ""
    aircon_device_id: Annotated[str, OptionSpec(Kind.TEXT, Page.DEVICES)] = ""
    temperature_entity_id: Annotated[str, OptionSpec(Kind.ENTITY, Page.INPUTS)] = ""
    humidity_entity_id: Annotated[str, OptionSpec(Kind.ENTITY, Page.INPUTS)] = ""
    window_entity_ids: Annotated[tuple[str, ...], OptionSpec(Kind.ENTITIES, Page.INPUTS)] = ()
    window_open_delay_seconds: Annotated[int, _integer(0, 3600, Page.INPUTS, SECONDS)] = 60
    power_entity_id: Annotated[str, OptionSpec(Kind.ENTITY, Page.INPUTS)] = ""
    power_on_threshold_watts: Annotated[float, _number(0, 10000, 1, WATTS, Page.INPUTS)] = 10.0
    time_windows: Annotated[tuple[TimeWindow, ...], OptionSpec(Kind.WINDOWS, Page.WINDOWS)] = (
        TimeWindow(days=(0, 1, 2, 3, 4), start=time(7, 0), end=time(22, 0)),
    )
    poll_interval_seconds: Annotated[int, _integer(15, 3600, Page.POLLING, SECONDS)] = 15
    idle_poll_interval_seconds: Annotated[int, _integer(15, 86400, Page.POLLING, SECONDS)] = 600
    poll_warmup_minutes: Annotated[int, _integer(0, 1440, Page.POLLING, MINUTES)] = 15
    adaptive_polling_enabled: Annotated[bool, OptionSpec(Kind.BOOLEAN, Page.POLLING)] = True
    max_temperature_rate: Annotated[
        float, _number(0, 5, _RATE_STEP, f"{CELSIUS}/{MINUTES}", Page.POLLING)
    ] = 0.2
    max_window_poll_interval_seconds: Annotated[int, _integer(15, 3600, Page.POLLING, SECONDS)] = (
        900
    )
    meter_update_interval_seconds: Annotated[int, _integer(0, 3600, Page.POLLING, SECONDS)] = 120
    idle_read_interval_seconds: Annotated[int, _integer(0, 86400, Page.POLLING, SECONDS)] = 1800
    daily_call_budget: Annotated[int, _integer(0, 10000, Page.ACCOUNT)] = 8000
    timezone: Annotated[str, OptionSpec(Kind.TIMEZONE, Page.ADVANCED)] = ""
    api_quota_warning_threshold: Annotated[int, _integer(0, 10000, Page.ACCOUNT)] = 250

    @property
    def active_profile(self) -> Profile:
        """The profile of the selected season."""
        return self.winter if self.mode == Season.WINTER else self.summer

    def to_options(self) -> dict[str, Any]:
        """Return these settings as a fresh, JSON-serialisable options dict."""
        windows = [window.to_option() for window in self.time_windows]
        return {
            **asdict(self),
            "time_windows": windows,
            "window_entity_ids": list(self.window_entity_ids),
        }


@cache
def option_specs(cls: type[DeclaredOptions]) -> Mapping[str, OptionSpec]:
    """Return the declarations of the fields of ``cls``, by option key, in field order."""
    return {field.name: get_args(field.type)[1] for field in fields(cls)}


def _bounds(cls: type[DeclaredOptions]) -> dict[str, NumberBound]:
    return {key: spec.bound for key, spec in option_specs(cls).items() if spec.bound is not None}


# Bounds of the numeric top-level options and of the fields of a profile, by key.
NUMBER_BOUNDS: Final = _bounds(Settings)
PROFILE_BOUNDS: Final = _bounds(Profile)


# --- Parsing of single values ------------------------------------------------------------


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


def number_error(value: object, bound: NumberBound) -> OptionError | None:
    """Return the error key of ``value`` against ``bound``, or None when it is acceptable.

    A whole float (``15.0``, as number selectors return) is accepted for an integer option.
    """
    number = as_number(value)
    if number is None:
        return OptionError.NOT_A_NUMBER
    if bound.integer and not number.is_integer():
        return OptionError.NOT_AN_INTEGER
    if not bound.minimum <= number <= bound.maximum:
        return OptionError.OUT_OF_RANGE
    return None


def is_entity_id(value: object) -> bool:
    """Whether ``value`` is written as a Home Assistant entity id (``sensor.living_room``)."""
    return isinstance(value, str) and _ENTITY_ID_PATTERN.fullmatch(value) is not None


def parse_time(value: object) -> time:
    """Parse ``"HH:MM"`` or ``"HH:MM:SS"`` (the form Home Assistant's time selector returns).

    Raises ``OptionValueError(invalid_time)``.
    """
    match = _TIME_PATTERN.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise OptionValueError(OptionError.INVALID_TIME)
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
        raise OptionValueError(OptionError.NOT_A_LIST)
    if not value:
        raise OptionValueError(OptionError.NO_DAYS)
    days: set[int] = set()
    for item in value:
        day = _DAY_STRINGS.get(item, item) if isinstance(item, str) else item
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            raise OptionValueError(OptionError.INVALID_DAY)
        days.add(day)
    return tuple(sorted(days))


def parse_window(raw: Mapping[str, Any]) -> tuple[TimeWindow | None, dict[str, str]]:
    """Parse one window option; return the window, or None and the errors by field.

    The fields are ``days``, ``start`` and ``end``; ``same_start_end`` is reported on
    ``end``, next to the value to change.
    """
    errors: dict[str, str] = {}
    parsed: dict[str, Any] = {}
    for field, parser in (("days", parse_days), ("start", parse_time), ("end", parse_time)):
        try:
            parsed[field] = parser(raw.get(field))
        except OptionValueError as err:
            errors[field] = err.error_key
    if "start" in parsed and parsed["start"] == parsed.get("end"):
        errors["end"] = OptionError.SAME_START_END
    if errors:
        return None, errors
    return TimeWindow(**parsed), {}


DEFAULT_SETTINGS: Final = Settings()

# The default options as stored in a config entry. Shared: never mutate it, use
# ``default_options()`` for a copy to modify.
DEFAULT_OPTIONS: Final[dict[str, Any]] = DEFAULT_SETTINGS.to_options()


def default_options() -> dict[str, Any]:
    """Return a fresh copy of the default options, safe to modify."""
    return DEFAULT_SETTINGS.to_options()


ACCOUNT_OPTION_KEYS: Final = frozenset(
    key for key, spec in option_specs(Settings).items() if spec.page is Page.ACCOUNT
)
"""The options of the whole account (``Page.ACCOUNT``); every other option is a room's."""


def account_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """Return the account's part of ``options`` (a room's settings, or a v1 entry's)."""
    return {key: value for key, value in options.items() if key in ACCOUNT_OPTION_KEYS}


def room_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """Return the room's part of ``options``: everything but the account's."""
    return {key: value for key, value in options.items() if key not in ACCOUNT_OPTION_KEYS}
