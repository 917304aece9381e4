"""What a tick decides, as a pure function of settings, state, time and temperature.

``decide`` is step 5 of ``docs/behaviour.md``, "One tick", once the meter has been
read; the tick (``tick.run_tick``) does the I/O around it: due OFF repeats, reading the
meter, sending the chosen action. Keeping it pure lets tests state every case directly and
makes the decision cheap (see ``scripts/bench_engine``).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from .actions import is_in_effect, plan_action
from .automation_state import ActionKind, AutomationState
from .options import Season
from .outcomes import Outcome
from .settings import Settings

_NO_TIME = timedelta(0)


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of a tick and the action to send for it (None: send nothing).

    When an action is sent, the outcome is also its ``reason``.
    """

    outcome: Outcome
    action: ActionKind | None = None


def cooldown_seconds(settings: Settings, state: AutomationState) -> int:
    """Return the cooldown that applies now.

    ``action_on_cooldown_seconds`` when the AC is assumed on, ``action_off_cooldown_seconds``
    when assumed off or unknown; 0 falls back to ``command_cooldown_seconds``.
    """
    if state.assumed_power is True:
        specific = settings.action_on_cooldown_seconds
    else:
        specific = settings.action_off_cooldown_seconds
    return specific or settings.command_cooldown_seconds


def cooldown_active(settings: Settings, state: AutomationState, now: datetime) -> bool:
    """Whether an action is blocked: ``0 <= now - last_action_at < cooldown``.

    So it ends exactly at ``last_action_at + cooldown``. A ``last_action_at`` in the future
    (the clock went back, or a corrupt state) does not block: waiting for it could take
    arbitrarily long.
    """
    if state.last_action_at is None:
        return False
    elapsed = now - state.last_action_at
    return _NO_TIME <= elapsed < timedelta(seconds=cooldown_seconds(settings, state))


def reading_is_stale(settings: Settings, state: AutomationState, now: datetime) -> bool:
    """Whether the last good reading is older than ``max_reading_age_minutes`` (or missing).

    The age runs from the last successful read: a room whose temperature does not change
    still gives fresh readings. Past the limit the tick decides blind, so it turns the AC off
    (``stale_reading_off``) and the temperature entities become unavailable.
    """
    reading = state.last_reading
    if reading is None or reading.temperature is None:
        return True
    return now - reading.read_at > timedelta(minutes=settings.max_reading_age_minutes)


def _turn_on(settings: Settings, state: AutomationState, outcome: Outcome) -> Decision:
    if is_in_effect(state, plan_action(settings, ActionKind.ON)):
        return Decision(Outcome.ALREADY_ON)
    return Decision(outcome, ActionKind.ON)


def _turn_off_in_window(settings: Settings, state: AutomationState, outcome: Outcome) -> Decision:
    # Inside a window with fan mode, "off" means running the fan.
    kind: ActionKind = ActionKind.FAN if settings.fan_mode_during_window else ActionKind.OFF
    if state.off_repeat is not None:
        return Decision(Outcome.OFF_REPEAT_PENDING)
    if is_in_effect(state, plan_action(settings, kind)):
        return Decision(Outcome.ALREADY_OFF)
    return Decision(outcome, kind)


def _decide_outside_window(settings: Settings, state: AutomationState, now: datetime) -> Decision:
    if not settings.turn_off_outside_windows:
        return Decision(Outcome.OUTSIDE_WINDOW)
    if not settings.aircon_device_id:
        return Decision(Outcome.NOT_CONFIGURED)
    if state.assumed_power is False:
        return Decision(Outcome.ALREADY_OFF)
    if cooldown_active(settings, state, now):
        return Decision(Outcome.COOLDOWN)
    # Outside windows an OFF is a real OFF, never the fan.
    return Decision(Outcome.TURNED_OFF_OUTSIDE_WINDOW, ActionKind.OFF)


def _decide_in_window(
    settings: Settings, state: AutomationState, now: datetime, temperature: float | None
) -> Decision:
    if not settings.aircon_device_id:
        return Decision(Outcome.NOT_CONFIGURED)
    if temperature is None:
        return Decision(Outcome.MISSING_METER)
    profile = settings.active_profile
    if not profile.is_valid():
        return Decision(Outcome.INVALID_PROFILE)
    if not profile.band_works(settings.hysteresis_celsius):
        return Decision(Outcome.INVALID_THRESHOLDS)
    if cooldown_active(settings, state, now):
        return Decision(Outcome.COOLDOWN)
    too_cold = temperature <= profile.min_temp - settings.hysteresis_celsius
    too_warm = temperature >= profile.max_temp + settings.hysteresis_celsius
    if settings.mode == Season.WINTER:
        if too_cold:
            return _turn_on(settings, state, Outcome.WINTER_ON)
        if too_warm:
            return _turn_off_in_window(settings, state, Outcome.WINTER_OFF)
    else:
        if too_warm:
            return _turn_on(settings, state, Outcome.SUMMER_ON)
        if too_cold:
            return _turn_off_in_window(settings, state, Outcome.SUMMER_OFF)
    if settings.fan_mode_during_window and state.assumed_power is False:
        return Decision(Outcome.FAN_NEUTRAL_ZONE, ActionKind.FAN)
    return Decision(Outcome.NO_ACTION)


def decide(
    settings: Settings,
    state: AutomationState,
    now: datetime,
    *,
    in_window: bool,
    temperature: float | None,
) -> Decision:
    """Decide a tick once the meter was read (``temperature`` None: no usable reading).

    In order: automation disabled (``disabled``); outside every window (``outside_window``,
    ``not_configured``, ``already_off``, ``cooldown``, ``turned_off_outside_window``); inside
    a window (``not_configured``, ``missing_meter``, ``invalid_profile``,
    ``invalid_thresholds``, ``cooldown``, then the season's thresholds with hysteresis:
    ``winter_on``/``summer_on`` or ``already_on``; ``winter_off``/``summer_off``,
    ``off_repeat_pending`` or ``already_off``; in between ``no_action``, or
    ``fan_neutral_zone`` with fan mode when the AC is assumed off).
    """
    if not settings.automation_enabled:
        return Decision(Outcome.DISABLED)
    if not in_window:
        return _decide_outside_window(settings, state, now)
    return _decide_in_window(settings, state, now, temperature)
