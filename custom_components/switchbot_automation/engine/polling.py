"""How long to wait before the next tick, and when a tick outside the windows reads the meter.

The intervals are those of ``docs/behaviour.md``, "When ticks run", with the savings below.

Every duration is measured between absolute instants, so a daylight saving change never
makes a wake-up late or early (a defect of the original dashboard). Rounding follows the
purpose: waiting *for* an instant (a due repeat, a window start or end, the quota reset)
rounds up, plus one second, so the tick lands after it even though Home Assistant may fire a
timer up to a second early; sleeping *until* the warmup rounds down so the tick never lands
after it.

Three savings on top of the original's adaptive polling, each off with its option at 0
(``max_temperature_rate`` for the first):

- Inside a window the interval stretches with the distance from the last reading to the
  nearest threshold whose crossing would send a command, divided by
  ``max_temperature_rate``, less ``meter_update_interval_seconds`` (the reading may be that
  old: the cloud's value lags the room): the meter's value cannot reach the threshold before
  the next tick unless the room changes faster than that rate. Every tick of a window lands
  on the base interval's grid from the window's start (``window_grid``), where ticks at the
  base interval would land, and close to a threshold no grid tick is skipped: a crossing is
  acted on exactly when the base interval would act on it. The interval never exceeds
  ``max_window_poll_interval_seconds`` nor sleeps past the first grid tick after the window.
- Outside the windows (and with the automation off) the reading is informative only: a
  tick reads the meter at most every ``idle_read_interval_seconds`` (``idle_read_due``).
- ``daily_call_budget``: the account's, shared by its rooms (``sharing``). As the day's
  calls (UTC) approach it, the rooms whose next decision matters least stretch their
  intervals first, to spread what is left over the time left; the protected ticks (window
  starts and ends, OFF repeats, the read that keeps a reading from going stale) keep their
  calls set aside and their times.

Commands the cloud does not carry out (a hub offline, a refused command) are not retried at
every tick: after ``n`` failures in a row the interval is at least the base interval doubled
``n`` times, up to ``LONGEST_COMMAND_BACKOFF`` (``docs/behaviour.md``, "Cloud failures").
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
import math
from typing import Final

from .actions import is_in_effect, plan_action
from .automation_state import ActionKind, AutomationState
from .decision import cooldown_active, cooldown_seconds
from .inputs import NO_INPUTS, EntityInputs, follows_entity, window_pause_start
from .options import PublicStrEnum, Season
from .outcomes import Outcome
from .quota import next_utc_midnight
from .settings import NUMBER_BOUNDS, Settings
from .sharing import RoomDemand, protected_at, room_demand, share
from .windows import active_window_bounds, is_in_window, next_window_start


class PollingMode(PublicStrEnum):
    """Why the interval is what it is: the states of the ``polling_mode`` enum sensor."""

    IN_WINDOW = "in_window"
    IN_WINDOW_STRETCHED = "in_window_stretched"
    WARMUP = "warmup"
    IDLE = "idle"
    PENDING_OFF_REPEAT = "pending_off_repeat"
    FIXED = "fixed"
    AUTOMATION_DISABLED = "automation_disabled"
    NO_WINDOWS = "no_windows"
    QUOTA_EXHAUSTED = "quota_exhausted"
    BUDGET_LIMITED = "budget_limited"
    COMMAND_BACKOFF = "command_backoff"
    ON_CHANGE = "on_change"


# The shortest idle sleep: close to the warmup, a shorter one would only poll for nothing.
MIN_IDLE_SECONDS: Final = 15
# The longest wait for the quota reset (the next 00:00 UTC is at most a day away).
MAX_QUOTA_WAIT_SECONDS: Final = 86400
# Home Assistant fires a coordinator's timer up to a second early (it schedules on whole
# seconds of its loop clock): a tick aimed at an instant waits one second more.
LANDING_MARGIN_SECONDS: Final = 1
# The thermometer's resolution (°C): a reading of 21.3 may be a room at 21.25 or 21.35. The
# stretched interval gives the room this much less room to move.
READING_MARGIN_CELSIUS: Final = 0.1
# The most calls one tick can make: a due OFF repeat (scene, then its fallback command), the
# meter (a GET and its retry), the AC's status (same), an action (scene, then fallback), and
# the device list when set-up could not read it (a GET and its retry).
MAX_CALLS_PER_TICK: Final = 10
# An informative reading is due this much before its interval ends: idle ticks, scheduled
# on whole seconds, would otherwise find it a fraction of a second too young and skip it.
IDLE_READ_TOLERANCE: Final = timedelta(seconds=5)
_INSTANT: Final = timedelta(microseconds=1)
# The longest wait between two attempts of a command the cloud keeps refusing.
LONGEST_COMMAND_BACKOFF: Final = 1800


@dataclass(frozen=True, slots=True)
class PollDecision:
    """The interval until the next tick, in whole seconds, and why."""

    seconds: int
    mode: PollingMode


def _seconds_until(instant: datetime, now: datetime) -> int:
    """Whole seconds from ``now`` to ``instant``, rounded up (landing at or after it)."""
    return math.ceil((instant - now).total_seconds())


def _clamped(settings: Settings, key: str) -> int:
    return int(NUMBER_BOUNDS[key].clamp(getattr(settings, key)))


def threshold_margin(settings: Settings, state: AutomationState, now: datetime) -> float | None:
    """Return how far (°C) the room may move before a tick inside a window would act.

    The distance from the last reading to the nearest threshold whose crossing would send
    a command given the assumed AC state (an ON already in effect, or an OFF already in
    effect or being repeated, sends nothing), less the reading's resolution and what the
    room may have moved, at ``max_temperature_rate``, since the reading and during
    ``meter_update_interval_seconds`` before it (the value read may be that old). Zero or
    less: a
    command is due (held back by a cooldown, or just failed), or the fan of
    ``fan_mode_during_window`` is. ``math.inf`` when no crossing would send anything. None
    when there is nothing to measure from: no reading, or a profile the tick refuses.
    """
    reading = state.last_reading
    profile = settings.active_profile
    if (
        reading is None
        or reading.temperature is None
        or not profile.is_valid()
        or not profile.band_works(settings.hysteresis_celsius)
    ):
        return None
    if settings.fan_mode_during_window and state.assumed_power is False:
        return 0.0
    temperature = reading.temperature
    # Distance to the threshold below (crossed going down) and above (crossed going up).
    below = temperature - (profile.min_temp - settings.hysteresis_celsius)
    above = profile.max_temp + settings.hysteresis_celsius - temperature
    on_distance, off_distance = (below, above) if settings.mode == Season.WINTER else (above, below)
    off_kind: ActionKind = ActionKind.FAN if settings.fan_mode_during_window else ActionKind.OFF
    distances = [
        distance
        for distance, acts in (
            (on_distance, not is_in_effect(state, plan_action(settings, ActionKind.ON))),
            (
                off_distance,
                state.off_repeat is None
                and not is_in_effect(state, plan_action(settings, off_kind)),
            ),
        )
        if acts
    ]
    if not distances:
        return math.inf
    rate = NUMBER_BOUNDS["max_temperature_rate"].clamp(settings.max_temperature_rate)
    age = max(0.0, (now - reading.read_at).total_seconds())
    lag = _clamped(settings, "meter_update_interval_seconds")
    return min(distances) - READING_MARGIN_CELSIUS - rate * (age + lag) / 60


def window_grid(start: datetime, base: int, after: datetime) -> datetime:
    """Return the first tick of the base interval's grid of a window strictly after ``after``.

    The grid is ``start + LANDING_MARGIN_SECONDS + k * base``: where ticks at the base
    interval land in a window that started at ``start``, its first tick landing just after
    the start (``compute_interval`` step 8).
    """
    origin = start + timedelta(seconds=LANDING_MARGIN_SECONDS)
    steps = math.floor((after - origin).total_seconds() / base) + 1
    return origin + timedelta(seconds=max(0, steps) * base)


def _in_window(
    settings: Settings, state: AutomationState, now: datetime, tz: tzinfo, base: int
) -> PollDecision:
    """Return the interval inside a window: to the next grid tick, or stretched (module)."""
    start, end = active_window_bounds(settings.time_windows, now, tz)
    next_tick = window_grid(start, base, now)
    rate = NUMBER_BOUNDS["max_temperature_rate"].clamp(settings.max_temperature_rate)
    margin = threshold_margin(settings, state, now)
    if rate and margin is not None and margin > 0:
        ceiling = _clamped(settings, "max_window_poll_interval_seconds")
        reach = math.floor(min(ceiling, 60 * margin / rate))
        # The last grid tick the room cannot beat, but not past the first one after the end.
        latest = window_grid(start, base, now + timedelta(seconds=reach - base))
        after_end = window_grid(start, base, end - _INSTANT)
        next_tick = max(next_tick, min(latest, after_end))
    seconds = _seconds_until(next_tick, now)
    if seconds > base:
        return PollDecision(seconds, PollingMode.IN_WINDOW_STRETCHED)
    if not rate:
        return PollDecision(base, PollingMode.IN_WINDOW)
    return PollDecision(seconds, PollingMode.IN_WINDOW)


def _on_change(
    settings: Settings, state: AutomationState, now: datetime, tz: tzinfo, idle: int
) -> PollDecision:
    """Return the interval when the ticks follow the temperature entity: to the next timer.

    The entity's changes run the ticks that regulate; the clock only runs those that come
    due without a change: a window starting or ending, the reading reaching the age limit
    (the fail-safe), the end of a cooldown that held a command back. At most ``idle``.
    """
    timers: list[datetime] = []
    if is_in_window(settings.time_windows, now, tz):
        timers.append(active_window_bounds(settings.time_windows, now, tz)[1])
    elif (start := next_window_start(settings.time_windows, now, tz)) is not None:
        timers.append(start)
    reading = state.last_reading
    if reading is not None:
        age_limit = timedelta(minutes=_clamped(settings, "max_reading_age_minutes"))
        timers.append(reading.read_at + age_limit)
    if state.last_action_at is not None and cooldown_active(settings, state, now):
        timers.append(state.last_action_at + timedelta(seconds=cooldown_seconds(settings, state)))
    seconds = min(
        [
            idle,
            *(
                _seconds_until(timer, now) + LANDING_MARGIN_SECONDS
                for timer in timers
                if timer > now
            ),
        ]
    )
    return PollDecision(seconds, PollingMode.ON_CHANGE)


def _schedule(
    settings: Settings,
    state: AutomationState,
    now: datetime,
    tz: tzinfo,
    inputs: EntityInputs,
) -> PollDecision:
    """Return the interval before the daily budget is applied (``compute_interval``)."""
    base = _clamped(settings, "poll_interval_seconds")
    if not settings.adaptive_polling_enabled:
        return PollDecision(base, PollingMode.FIXED)
    if state.off_repeat is not None:
        until_due = _seconds_until(state.off_repeat.next_run_at, now)
        return PollDecision(max(1, min(base, until_due)), PollingMode.PENDING_OFF_REPEAT)
    idle = _clamped(settings, "idle_poll_interval_seconds")
    if not settings.automation_enabled:
        return PollDecision(idle, PollingMode.AUTOMATION_DISABLED)
    if not settings.time_windows:
        return PollDecision(idle, PollingMode.NO_WINDOWS)
    if follows_entity(settings, inputs, now):
        return _on_change(settings, state, now, tz, idle)
    if is_in_window(settings.time_windows, now, tz):
        return _in_window(settings, state, now, tz, base)
    next_start = next_window_start(settings.time_windows, now, tz)
    if next_start is None:
        return PollDecision(idle, PollingMode.IDLE)
    # Landing just after the start: the first tick in the window is the first decision.
    until_start = _seconds_until(next_start, now) + LANDING_MARGIN_SECONDS
    warmup = timedelta(minutes=_clamped(settings, "poll_warmup_minutes"))
    if warmup and next_start - now <= warmup:
        return PollDecision(min(base, until_start), PollingMode.WARMUP)
    until_warmup = math.floor((next_start - warmup - now).total_seconds())
    if not warmup and until_warmup < MIN_IDLE_SECONDS:
        return PollDecision(until_start, PollingMode.IDLE)
    return PollDecision(min(idle, max(MIN_IDLE_SECONDS, until_warmup)), PollingMode.IDLE)


def _demand(
    settings: Settings,
    state: AutomationState,
    now: datetime,
    tz: tzinfo,
    inputs: EntityInputs,
    *,
    own: PollDecision,
) -> RoomDemand:
    """Return what the room asks of the budget, ``own`` being its schedule without it."""
    return room_demand(
        settings,
        state,
        now,
        tz,
        inputs,
        interval_seconds=own.seconds,
        margin=threshold_margin(settings, state, now),
    )


def _within_budget(
    settings: Settings,
    state: AutomationState,
    now: datetime,
    tz: tzinfo,
    inputs: EntityInputs,
    *,
    decision: PollDecision,
    demand: RoomDemand | None,
    others: Sequence[RoomDemand],
) -> PollDecision:
    """Stretch ``decision`` so the account's calls stay within ``daily_call_budget``.

    The calls left, less one worst-case tick per room and every room's protected calls, are
    shared by urgency (``sharing``); a room whose share does not cover the reads it wants
    spreads it over the time left until 00:00 UTC, and waits for the reset once it has none,
    but never past its next protected tick. One tick per room: each of the other rooms may
    have a tick pending, decided before this one on the same calls left.
    """
    budget = _clamped(settings, "daily_call_budget")
    if not budget or demand is None:
        return decision
    spendable = (
        budget
        - state.quota.calls_today(now)
        - MAX_CALLS_PER_TICK * (1 + len(others))
        - demand.reserve
        - sum(other.reserve for other in others)
    )
    reads = share(demand, others, spendable)
    if reads >= demand.wanted:
        return decision
    until_reset = _seconds_until(next_utc_midnight(now), now)
    seconds = until_reset + LANDING_MARGIN_SECONDS if reads == 0 else math.ceil(until_reset / reads)
    protected = protected_at(settings, state, now, tz, inputs)
    if protected is not None:
        seconds = min(seconds, _seconds_until(protected, now) + LANDING_MARGIN_SECONDS)
    if seconds <= decision.seconds:
        return decision
    return PollDecision(seconds, PollingMode.BUDGET_LIMITED)


def _until_checks(
    settings: Settings,
    state: AutomationState,
    inputs: EntityInputs,
    now: datetime,
    decision: PollDecision,
) -> PollDecision:
    """Shorten ``decision`` to land just after a pause, a power check or a held command.

    An open window pauses regulation ``window_open_delay_seconds`` after it opened; the power
    entity's check of the last command comes ``power.COMMAND_CONFIRM_SECONDS`` after it; a
    command the last tick held back (outcome ``cooldown``, e.g. the OFF at a window's end
    just after an ON) is decided again when the cooldown ends, not an idle interval later.
    """
    pause = window_pause_start(settings, inputs) if settings.automation_enabled else None
    held = (
        state.last_action_at + timedelta(seconds=cooldown_seconds(settings, state))
        if state.last_outcome is Outcome.COOLDOWN and state.last_action_at is not None
        else None
    )
    instants = [
        instant for instant in (pause, state.power_check_at, held) if instant and instant > now
    ]
    if not instants:
        return decision
    seconds = _seconds_until(min(instants), now) + LANDING_MARGIN_SECONDS
    return replace(decision, seconds=seconds) if seconds < decision.seconds else decision


def compute_interval(
    settings: Settings,
    state: AutomationState,
    now: datetime,
    tz: tzinfo,
    inputs: EntityInputs = NO_INPUTS,
    *,
    others: Sequence[RoomDemand] = (),
) -> PollDecision:
    """Return the interval after a tick that ended at ``now`` (aware), windows read in ``tz``.

    ``others`` are the demands of the account's other rooms on the daily budget (step 10).

    In order:

    0. quota known exhausted → until it resets (1..86400 s), ``quota_exhausted``;
    1. ``base`` = ``poll_interval_seconds`` clamped to 15..3600;
    2. adaptive polling off → ``base``, ``fixed``;
    3. an OFF repeat pending → ``min(base, seconds until due)``, at least 1,
       ``pending_off_repeat``;
    4. automation disabled → ``idle``, ``automation_disabled``;
    5. no windows → ``idle``, ``no_windows``;
    5b. the ticks follow the temperature entity (``inputs.follows_entity``) → to the next
       window start or end, reading-age limit or cooldown end, at most ``idle``,
       ``on_change``: the entity's changes run the other ticks;
    6. inside a window → ``base``, ``in_window``; with ``max_temperature_rate`` > 0, to the
       next tick of the window's base grid (at most ``base``), ``in_window``, or to a later
       one while the room is far from the thresholds, ``in_window_stretched`` (module
       docstring);
    7. ``idle`` = ``idle_poll_interval_seconds`` clamped to 15..86400; no next start → ``idle``;
    8. the next start within ``poll_warmup_minutes`` (inclusive, warmup > 0) → ``base``, or
       just past the start when it is nearer, ``warmup``;
    9. else ``min(idle, max(15, seconds until next start - warmup))``, ``idle``: a long idle
       interval never sleeps past the warmup; with warmup 0, a start nearer than 15 s is
       waited for exactly;
    10. the account's daily budget, shared with ``others`` by urgency, may stretch any of
        1-9, up to 00:00 UTC and a second but never past the room's next protected tick
        (a window start or end, a due OFF repeat, the reading-age limit), ``budget_limited``
        (module docstring, ``sharing``);
    10b. a window or door open, not yet for ``window_open_delay_seconds``: at most until
        the pause starts; a command's power check pending: at most until it is due;
    11. after commands failed in a row, at least the base interval doubled for each,
        ``command_backoff`` (module docstring).

    The pending repeat comes before the automation-disabled and no-windows cases (the
    original dashboard checked them first): a repeat runs even with the automation disabled —
    the quick off disables it and schedules repeats — and must not wait an idle interval.
    """
    own = _schedule(settings, state, now, tz, inputs)
    demand = (
        _demand(settings, state, now, tz, inputs, own=own)
        if _clamped(settings, "daily_call_budget")
        else None
    )
    return _interval(settings, state, now, tz, inputs, own=own, demand=demand, others=others)


def plan_interval(
    settings: Settings,
    state: AutomationState,
    now: datetime,
    tz: tzinfo,
    inputs: EntityInputs = NO_INPUTS,
    *,
    others: Sequence[RoomDemand] = (),
) -> tuple[PollDecision, RoomDemand]:
    """Return ``compute_interval``'s interval and the room's demand on the budget, both.

    What a tick's end needs: the interval, and what the room asks of the account's daily
    budget (``sharing.RoomDemand``: the reads its own schedule wants, its protected calls, its
    urgency), from one reading of the room's own schedule.
    """
    own = _schedule(settings, state, now, tz, inputs)
    demand = _demand(settings, state, now, tz, inputs, own=own)
    return _interval(
        settings, state, now, tz, inputs, own=own, demand=demand, others=others
    ), demand


def _interval(
    settings: Settings,
    state: AutomationState,
    now: datetime,
    tz: tzinfo,
    inputs: EntityInputs,
    *,
    own: PollDecision,
    demand: RoomDemand | None,
    others: Sequence[RoomDemand],
) -> PollDecision:
    """Return the interval from the room's own schedule ``own`` (``compute_interval``)."""
    quota_until = state.quota.exhausted_until
    if quota_until is not None and now < quota_until:
        seconds = min(MAX_QUOTA_WAIT_SECONDS, max(1, _seconds_until(quota_until, now)))
        return PollDecision(seconds, PollingMode.QUOTA_EXHAUSTED)
    decision = _within_budget(
        settings, state, now, tz, inputs, decision=own, demand=demand, others=others
    )
    decision = _until_checks(settings, state, inputs, now, decision)
    if state.command_failures:
        base = _clamped(settings, "poll_interval_seconds")
        exponent = min(state.command_failures, LONGEST_COMMAND_BACKOFF.bit_length())
        backoff = min(base << exponent, LONGEST_COMMAND_BACKOFF)
        if backoff > decision.seconds:
            return PollDecision(backoff, PollingMode.COMMAND_BACKOFF)
    return decision


def budget_spent(settings: Settings, state: AutomationState, now: datetime) -> bool:
    """Whether a tick could take the day's calls past ``daily_call_budget`` (0: no budget)."""
    budget = _clamped(settings, "daily_call_budget")
    return bool(budget) and budget - state.quota.calls_today(now) < MAX_CALLS_PER_TICK


def idle_read_due(settings: Settings, state: AutomationState, now: datetime) -> bool:
    """Whether a tick that does not regulate reads the thermometer (for display only).

    Yes when ``idle_read_interval_seconds`` is 0, when there is no reading, or when the last
    one is that old (or ``max_reading_age_minutes``, if shorter; within
    ``IDLE_READ_TOLERANCE``) or from the future.
    """
    # Never so rare that the reading goes stale (``decision.reading_is_stale``).
    interval = min(
        _clamped(settings, "idle_read_interval_seconds"),
        _clamped(settings, "max_reading_age_minutes") * 60,
    )
    reading = state.last_reading
    if not interval or reading is None:
        return True
    age = now - reading.read_at
    return age < timedelta(0) or age >= timedelta(seconds=interval) - IDLE_READ_TOLERANCE
