"""One daily call budget for the rooms of an account: who gives way as the calls run short.

The cloud's quota, and so ``daily_call_budget``, belong to the SwitchBot account, and every
room of the account spends from one counter (``quota.QuotaCounter``, shared). Each room asks
the budget for two kinds of calls until the quota resets (00:00 UTC):

- its *protected* calls, which the budget never holds back: the read at a window's start and
  the command it may send, the OFF at a window's end and its repeats, the OFF repeats
  already pending, and inside a window a read before the last one grows older than
  ``max_reading_age_minutes`` (else the fail-safe OFF would be the budget's doing). They are
  set aside first (``RoomDemand.reserve``), and a protected tick is never scheduled later
  than it is due (``protected_at``);
- its other reads, as many as its own schedule wants (``RoomDemand.wanted``).

When the calls left, less the reserves and one worst-case tick per room (each room may
have one tick pending, decided on the same calls left), cover every room's wanted reads,
nothing is throttled. Otherwise the rooms are served by urgency (``RoomDemand.
urgency``): a room inside a window close to a threshold first, then the rooms inside a window
by their distance from it, the rooms outside their windows (or with the automation off)
last. A room whose share falls short of its wanted reads spreads its share over the time
left: its interval stretches, never past its next protected tick.

Each room computes its own demand when its tick ends; the other rooms' demands are those
their last ticks left, so a room's interval follows the account as it was at that moment.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
import math

from .automation_state import AutomationState
from .inputs import EntityInputs, follows_entity
from .quota import next_utc_midnight
from .settings import NUMBER_BOUNDS, Settings
from .windows import active_window_bounds, is_in_window, next_window_start, occurrences_between

WINDOW_START_CALLS = 2
"""A window start's read and the ON (or OFF) it may send."""
PACE_HORIZON = timedelta(hours=1)
"""How far ahead a room's current pace counts in the reads it wants (``room_demand``)."""


@dataclass(frozen=True, slots=True)
class RoomDemand:
    """What one room asks of the account's budget until the quota resets.

    ``wanted``: the reads its own schedule would make; ``reserve``: the calls of its
    protected ticks; ``urgency``: how much its next decision matters (0: not at all).
    """

    wanted: int
    reserve: int
    urgency: float


def _clamped(settings: Settings, key: str) -> int:
    return int(NUMBER_BOUNDS[key].clamp(getattr(settings, key)))


def _reads_cloud(settings: Settings, inputs: EntityInputs, now: datetime) -> bool:
    """Whether the room's ticks read the cloud meter (not a Home Assistant entity)."""
    return bool(settings.meter_device_id) and not follows_entity(settings, inputs, now)


type Occurrences = list[tuple[datetime, datetime]]
"""The room's windows open between now and the quota's reset (``occurrences_between``)."""


def _open_seconds(occurrences: Occurrences, begin: datetime, end: datetime) -> float:
    """Return how long ``occurrences`` are open between ``begin`` and ``end``."""
    return sum(
        max(0.0, (min(stop, end) - max(start, begin)).total_seconds())
        for start, stop in occurrences
    )


def _reserve(
    settings: Settings,
    state: AutomationState,
    now: datetime,
    *,
    reads_cloud: bool,
    today: Occurrences,
) -> int:
    """Return the calls of the room's protected ticks until the quota resets."""
    calls = state.off_repeat.remaining if state.off_repeat is not None else 0
    if not settings.automation_enabled:
        return calls
    reset = next_utc_midnight(now)
    age_limit = _clamped(settings, "max_reading_age_minutes") * 60
    for start, end in today:
        if start > now:
            calls += WINDOW_START_CALLS
        if end < reset and settings.turn_off_outside_windows:
            calls += 1 + _clamped(settings, "off_repeat_count")
        if reads_cloud:
            inside = (min(end, reset) - max(start, now)).total_seconds()
            calls += math.floor(inside / age_limit)
    return calls


def _urgency(settings: Settings, now: datetime, tz: tzinfo, margin: float | None) -> float:
    """Return how much the room's next decision matters: more the nearer a threshold.

    0 outside the windows or with the automation off; inside a window, 1 plus a part that
    grows to 1 as the room nears the threshold whose crossing would act (``margin``, from
    ``polling.threshold_margin``: ``math.inf`` when nothing would act; None, unknown: as if
    at the threshold).
    """
    if not settings.automation_enabled or not is_in_window(settings.time_windows, now, tz):
        return 0.0
    if margin is None:
        return 2.0
    return 1.0 + 1.0 / (1.0 + max(0.0, margin))


def room_demand(
    settings: Settings,
    state: AutomationState,
    now: datetime,
    tz: tzinfo,
    inputs: EntityInputs,
    *,
    interval_seconds: int,
    margin: float | None,
) -> RoomDemand:
    """Return what the room asks of the budget, its schedule now ticking every ``interval``.

    Inside its windows, during the next ``PACE_HORIZON``, the room reads at its current
    interval (no shorter than the base interval: a one-off short wait, to land on an
    instant, is not a pace); later in its windows, at the pace adaptive polling stretches
    to far from the thresholds (``max_window_poll_interval_seconds``; the base interval
    without stretching): no room stays near a threshold all day, and a room that does asks
    again at each tick. Outside them, and with the automation off, every
    ``idle_read_interval_seconds`` at most. A room fed by a Home Assistant entity reads
    nothing from the cloud. ``margin`` is the room's distance to its nearest acting
    threshold (``_urgency``).
    """
    reset = next_utc_midnight(now)
    today = occurrences_between(settings.time_windows, now, reset, tz)
    reads_cloud = _reads_cloud(settings, inputs, now)
    wanted = 0
    if reads_cloud:
        inside = near = 0.0
        if settings.automation_enabled:
            inside = _open_seconds(today, now, reset)
            near = _open_seconds(today, now, min(reset, now + PACE_HORIZON))
        outside = (reset - now).total_seconds() - inside
        base = _clamped(settings, "poll_interval_seconds")
        stretched = settings.adaptive_polling_enabled and bool(
            NUMBER_BOUNDS["max_temperature_rate"].clamp(settings.max_temperature_rate)
        )
        pace_far = max(base, _clamped(settings, "max_window_poll_interval_seconds"))
        pace_outside = max(
            _clamped(settings, "idle_poll_interval_seconds"),
            _clamped(settings, "idle_read_interval_seconds"),
        )
        wanted = (
            math.ceil(near / max(base, interval_seconds))
            + math.ceil((inside - near) / (pace_far if stretched else base))
            + math.ceil(outside / pace_outside)
        )
    return RoomDemand(
        wanted=wanted,
        reserve=_reserve(settings, state, now, reads_cloud=reads_cloud, today=today),
        urgency=_urgency(settings, now, tz, margin),
    )


def protected_at(
    settings: Settings,
    state: AutomationState,
    now: datetime,
    tz: tzinfo,
    inputs: EntityInputs,
) -> datetime | None:
    """Return when the room's next protected tick is due (after ``now``), if any."""
    instants: list[datetime] = []
    if state.off_repeat is not None:
        instants.append(state.off_repeat.next_run_at)
    if settings.automation_enabled:
        if is_in_window(settings.time_windows, now, tz):
            if settings.turn_off_outside_windows:
                instants.append(active_window_bounds(settings.time_windows, now, tz)[1])
            reading = state.last_reading
            if reading is not None and _reads_cloud(settings, inputs, now):
                age_limit = timedelta(minutes=_clamped(settings, "max_reading_age_minutes"))
                instants.append(reading.read_at + age_limit)
        if (start := next_window_start(settings.time_windows, now, tz)) is not None:
            instants.append(start)
    later = [instant for instant in instants if instant > now]
    return min(later) if later else None


def share(demand: RoomDemand, others: Sequence[RoomDemand], spendable: int) -> int:
    """Return the reads ``demand``'s room may make of the ``spendable`` ones, by urgency.

    The rooms more urgent than it are served first; among equals, this room last (it is
    the one that just ticked, and the others' demands may be older).
    """
    ahead = sum(other.wanted for other in others if other.urgency >= demand.urgency)
    return max(0, min(demand.wanted, spendable - ahead))
