"""The automation engine: plain Python that decides, for one room, what a tick does.

It imports neither Home Assistant nor an HTTP library: the glue feeds it the clock, a cloud client
behind ``CloudPort`` and the stored state, and turns its results into entities. This module is
its public API; the glue imports nothing else from it but the option names.
"""

from .automation_state import AutomationState
from .dashboard_import import options_from_dashboard
from .outcomes import API_ERROR, DEVICE_OFFLINE, NOT_CONFIGURED, OUTCOMES, QUOTA_EXHAUSTED
from .polling import POLLING_MODES, PollDecision, compute_interval
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
from .quota import next_utc_midnight
from .settings import DEFAULT_OPTIONS, Settings, Warn, default_options, format_time, parse_window
from .settings_loader import WarnOnce, settings_from_options
from .tick import TRIGGER_MANUAL, TRIGGER_SCHEDULER, TickResult, run_quick_off, run_tick
from .validation import validate_options
from .windows import TimezoneResolver, zone_exists

__all__ = [
    "API_ERROR",
    "DEFAULT_OPTIONS",
    "DEVICE_OFFLINE",
    "NOT_CONFIGURED",
    "OUTCOMES",
    "POLLING_MODES",
    "QUOTA_EXHAUSTED",
    "TRIGGER_MANUAL",
    "TRIGGER_SCHEDULER",
    "AutomationState",
    "CloudAuthError",
    "CloudError",
    "CloudOfflineError",
    "CloudPort",
    "CloudQuotaError",
    "CloudRefusedError",
    "CloudUnavailableError",
    "InvalidReadingError",
    "PollDecision",
    "Reading",
    "Settings",
    "TickResult",
    "TimezoneResolver",
    "Warn",
    "WarnOnce",
    "compute_interval",
    "default_options",
    "format_time",
    "next_utc_midnight",
    "options_from_dashboard",
    "parse_window",
    "run_quick_off",
    "run_tick",
    "settings_from_options",
    "validate_options",
    "zone_exists",
]
