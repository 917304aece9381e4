"""The automation engine: plain Python that decides, for one room, what a tick does.

It imports neither Home Assistant nor an HTTP library: the glue feeds it the clock, a cloud client
behind ``CloudPort`` and the stored state, and turns its results into entities. This module is
its public API, the option declarations included (``settings``): the glue imports nothing else.
"""

from .automation_state import AutomationState
from .dashboard_import import options_from_dashboard, parse_settings_json
from .decision import reading_is_stale
from .inputs import NO_INPUTS, EntityInputs, SensorReading, follows_entity, window_paused
from .options import Kind, NumberBound, OptionError, OptionSpec, Page, Season
from .outcomes import Outcome
from .polling import (
    PollDecision,
    PollingMode,
    budget_spent,
    compute_interval,
    plan_interval,
)
from .port import (
    CloudAuthError,
    CloudError,
    CloudOfflineError,
    CloudPort,
    CloudQuotaError,
    CloudRefusedError,
    CloudUnavailableError,
    InvalidReadingError,
    Reading,
)
from .power import commands_held
from .quota import RESET_MARGIN, QuotaCounter, next_utc_midnight
from .settings import (
    ACCOUNT_OPTION_KEYS,
    DEFAULT_OPTIONS,
    DEFAULT_SETTINGS,
    MAX_TIME_WINDOWS,
    NUMBER_BOUNDS,
    AirconScenes,
    DeclaredOptions,
    Profile,
    Settings,
    Warn,
    account_options,
    default_options,
    format_time,
    option_specs,
    parse_window,
    room_options,
)
from .settings_loader import WarnOnce, settings_from_options
from .sharing import RoomDemand
from .tick import TickResult, Trigger, run_quick_off, run_tick
from .validation import validate_options
from .windows import TimezoneResolver, next_window_start, zone_exists

__all__ = [
    "ACCOUNT_OPTION_KEYS",
    "DEFAULT_OPTIONS",
    "DEFAULT_SETTINGS",
    "MAX_TIME_WINDOWS",
    "NO_INPUTS",
    "NUMBER_BOUNDS",
    "RESET_MARGIN",
    "AirconScenes",
    "AutomationState",
    "CloudAuthError",
    "CloudError",
    "CloudOfflineError",
    "CloudPort",
    "CloudQuotaError",
    "CloudRefusedError",
    "CloudUnavailableError",
    "DeclaredOptions",
    "EntityInputs",
    "InvalidReadingError",
    "Kind",
    "NumberBound",
    "OptionError",
    "OptionSpec",
    "Outcome",
    "Page",
    "PollDecision",
    "PollingMode",
    "Profile",
    "QuotaCounter",
    "Reading",
    "RoomDemand",
    "Season",
    "SensorReading",
    "Settings",
    "TickResult",
    "TimezoneResolver",
    "Trigger",
    "Warn",
    "WarnOnce",
    "account_options",
    "budget_spent",
    "commands_held",
    "compute_interval",
    "default_options",
    "follows_entity",
    "format_time",
    "next_utc_midnight",
    "next_window_start",
    "option_specs",
    "options_from_dashboard",
    "parse_settings_json",
    "parse_window",
    "plan_interval",
    "reading_is_stale",
    "room_options",
    "run_quick_off",
    "run_tick",
    "settings_from_options",
    "validate_options",
    "window_paused",
    "zone_exists",
]
