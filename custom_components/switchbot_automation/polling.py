"""How long to wait before the next tick (``automation-behaviour.md`` section 5).

Every duration is measured between absolute instants, so a daylight saving change never
makes a wake-up late or early (a defect of the original, section 8). Rounding follows the
purpose: waiting *for* an instant (a due repeat, the quota reset) rounds up so the tick lands
at or after it; sleeping *until* the warmup rounds down so the tick never lands after it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
import math
from typing import Final

from .option_keys import NUMBER_BOUNDS, OPT_IDLE_POLL_INTERVAL, OPT_POLL_INTERVAL, OPT_POLL_WARMUP
from .settings import Settings
from .state import AutomationState
from .windows import is_in_window, next_window_start

MODE_IN_WINDOW: Final = "in_window"
MODE_WARMUP: Final = "warmup"
MODE_IDLE: Final = "idle"
MODE_PENDING_OFF_REPEAT: Final = "pending_off_repeat"
MODE_FIXED: Final = "fixed"
MODE_AUTOMATION_DISABLED: Final = "automation_disabled"
MODE_NO_WINDOWS: Final = "no_windows"
MODE_QUOTA_EXHAUSTED: Final = "quota_exhausted"
POLLING_MODES: Final = (
    MODE_IN_WINDOW,
    MODE_WARMUP,
    MODE_IDLE,
    MODE_PENDING_OFF_REPEAT,
    MODE_FIXED,
    MODE_AUTOMATION_DISABLED,
    MODE_NO_WINDOWS,
    MODE_QUOTA_EXHAUSTED,
)

# The shortest idle sleep: close to the warmup, a shorter one would only poll for nothing.
MIN_IDLE_SECONDS: Final = 15
# The longest wait for the quota reset (the next 00:00 UTC is at most a day away).
MAX_QUOTA_WAIT_SECONDS: Final = 86400


@dataclass(frozen=True, slots=True)
class PollDecision:
    """The interval until the next tick, in whole seconds, and why."""

    seconds: int
    mode: str


def _seconds_until(instant: datetime, now: datetime) -> int:
    """Whole seconds from ``now`` to ``instant``, rounded up (landing at or after it)."""
    return math.ceil((instant - now).total_seconds())


def _clamped(settings: Settings, key: str) -> int:
    return int(NUMBER_BOUNDS[key].clamp(getattr(settings, key)))


def compute_interval(
    settings: Settings, state: AutomationState, now: datetime, tz: tzinfo
) -> PollDecision:
    """Return the interval after a tick that ended at ``now`` (aware), windows read in ``tz``.

    In order:

    0. quota known exhausted → until it resets (1..86400 s), ``quota_exhausted``;
    1. ``base`` = ``poll_interval_seconds`` clamped to 15..3600;
    2. adaptive polling off → ``base``, ``fixed``;
    3. an OFF repeat pending → ``min(base, seconds until due)``, at least 1,
       ``pending_off_repeat``;
    4. automation disabled → ``idle``, ``automation_disabled``;
    5. no windows → ``idle``, ``no_windows``;
    6. inside a window → ``base``, ``in_window``;
    7. ``idle`` = ``idle_poll_interval_seconds`` clamped to 15..86400; no next start → ``idle``;
    8. the next start within ``poll_warmup_minutes`` (inclusive, warmup > 0) → ``base``,
       ``warmup``;
    9. else ``min(idle, max(15, seconds until next start - warmup))``, ``idle``: a long idle
       interval never sleeps past the warmup (with warmup 0, past the window start).

    The pending repeat comes before the automation-disabled and no-windows cases (the
    specification lists it after them): a repeat runs even with the automation disabled —
    the quick off disables it and schedules repeats — and must not wait an idle interval.
    """
    quota_until = state.quota.exhausted_until
    if quota_until is not None and now < quota_until:
        seconds = min(MAX_QUOTA_WAIT_SECONDS, max(1, _seconds_until(quota_until, now)))
        return PollDecision(seconds, MODE_QUOTA_EXHAUSTED)
    base = _clamped(settings, OPT_POLL_INTERVAL)
    if not settings.adaptive_polling_enabled:
        return PollDecision(base, MODE_FIXED)
    if state.off_repeat is not None:
        until_due = _seconds_until(state.off_repeat.next_run_at, now)
        return PollDecision(max(1, min(base, until_due)), MODE_PENDING_OFF_REPEAT)
    idle = _clamped(settings, OPT_IDLE_POLL_INTERVAL)
    if not settings.automation_enabled:
        return PollDecision(idle, MODE_AUTOMATION_DISABLED)
    if not settings.time_windows:
        return PollDecision(idle, MODE_NO_WINDOWS)
    if is_in_window(settings.time_windows, now, tz):
        return PollDecision(base, MODE_IN_WINDOW)
    next_start = next_window_start(settings.time_windows, now, tz)
    if next_start is None:
        return PollDecision(idle, MODE_IDLE)
    warmup = timedelta(minutes=_clamped(settings, OPT_POLL_WARMUP))
    if warmup and next_start - now <= warmup:
        return PollDecision(base, MODE_WARMUP)
    until_warmup = math.floor((next_start - warmup - now).total_seconds())
    return PollDecision(min(idle, max(MIN_IDLE_SECONDS, until_warmup)), MODE_IDLE)
