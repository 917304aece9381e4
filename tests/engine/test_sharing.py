"""Tests of the account's shared daily budget: demands, reserves, urgency and who gives way."""

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta, tzinfo
import heapq
import math
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings as hypothesis_settings, strategies as st
import pytest

from custom_components.switchbot_automation.engine.automation_state import (
    AutomationState,
    LastReading,
    OffRepeat,
)
from custom_components.switchbot_automation.engine.inputs import (
    NO_INPUTS,
    EntityInputs,
    SensorReading,
)
from custom_components.switchbot_automation.engine.polling import (
    MAX_CALLS_PER_TICK,
    PollDecision,
    PollingMode,
    compute_interval,
    idle_read_due,
    plan_interval,
)
from custom_components.switchbot_automation.engine.quota import QuotaCounter
from custom_components.switchbot_automation.engine.settings import Settings, TimeWindow
from custom_components.switchbot_automation.engine.sharing import (
    WINDOW_START_CALLS,
    RoomDemand,
    protected_at,
    room_demand,
    share,
)
from custom_components.switchbot_automation.engine.windows import is_in_window, occurrences_between
from tests.engine.support import ALL_DAYS, NIGHT, NOON, make_settings, seconds

# make_settings: a cloud meter, window every day 08:00-20:00 (UTC here), winter 19-22 °C,
# hysteresis 0.3 (heating starts at 18.7 °C), base 15 s, idle reads every 1800 s, reading
# age limit 30 min, budget 8000. 19.1 °C is near the threshold (margin below 0: the base
# grid), 21.0 °C far from it (margin 1.8 °C: 526 s at 0.2 °C/min).
NEAR = 19.1
FAR = 21.0
HEATING = "21,5,3,on"  # the ON of the winter profile, in effect
MIDNIGHT = datetime(2026, 1, 7, tzinfo=UTC)  # a Wednesday
PARIS = ZoneInfo("Europe/Paris")
DAY = timedelta(days=1)


def window(start: str, end: str) -> TimeWindow:
    return TimeWindow(ALL_DAYS, time.fromisoformat(start), time.fromisoformat(end))


def room(
    temperature: float | None = FAR,
    *,
    at: datetime = NOON,
    quota: QuotaCounter | None = None,
    **changes: object,
) -> AutomationState:
    """A room's state: AC off, last read at ``at``, on the account's ``quota``."""
    return replace(
        AutomationState(
            assumed_power=False,
            last_reading=LastReading(temperature, 40.0, at),
            quota=quota if quota is not None else QuotaCounter(),
        ),
        **changes,
    )


def budget_demand(
    settings: Settings,
    state: AutomationState,
    now: datetime,
    tz: tzinfo,
    inputs: EntityInputs = NO_INPUTS,
) -> RoomDemand:
    """What the room asks of the budget after a tick at ``now`` (``plan_interval``)."""
    return plan_interval(settings, state, now, tz, inputs)[1]


def spent(calls: int, now: datetime = NOON) -> QuotaCounter:
    return QuotaCounter(day=now.date(), calls=calls)


def unbudgeted(settings: Settings, state: AutomationState, now: datetime) -> PollDecision:
    """The interval without any budget: what the room's own schedule wants."""
    return compute_interval(replace(settings, daily_call_budget=0), state, now, UTC)


# --- The demand of one room -------------------------------------------------------------


def test_reserve_counts_every_protected_call_until_the_reset() -> None:
    settings = make_settings(
        time_windows=(window("08:00", "20:00"), window("22:00", "02:00")),
        turn_off_outside_windows=True,
        off_repeat_count=2,
    )
    pending = OffRepeat(3, 10, MIDNIGHT + timedelta(hours=6, seconds=5), "window_end")
    state = room(at=MIDNIGHT + timedelta(hours=6), off_repeat=pending)
    six = MIDNIGHT + timedelta(hours=6)
    # 3 repeats pending; 08:00-20:00: its start (read and command, 2), its end (the OFF and
    # 2 repeats, 3), a read each 30 min of its 12 h (24); 22:00-02:00: its start (2), its
    # end after the reset (0: tomorrow's quota), 2 h before the reset (4).
    assert budget_demand(settings, state, six, UTC).reserve == 3 + 2 + 3 + 24 + 2 + 4
    # At 01:00, inside last night's window: no start, its end (3), an hour of reads (2).
    one = MIDNIGHT + timedelta(hours=1)
    assert budget_demand(settings, room(at=one), one, UTC).reserve == (3 + 2) + 29 + 6
    # Without the OFF at the end, the ends cost nothing.
    leave_on = replace(settings, turn_off_outside_windows=False)
    assert budget_demand(leave_on, room(at=one), one, UTC).reserve == 2 + 2 + 24 + 2 + 4
    # At noon, 8 h of the window left: 16 reads, its end 3.
    assert budget_demand(settings, room(), NOON, UTC).reserve == 16 + 3 + 2 + 4
    assert WINDOW_START_CALLS == 2


def test_reserve_of_a_room_without_cloud_reads_or_without_automation() -> None:
    settings = make_settings(turn_off_outside_windows=True)
    pending = OffRepeat(2, 10, NOON + seconds(5), "quick_off")
    # The automation off: only the repeats already pending (the quick off schedules them).
    disabled = replace(settings, automation_enabled=False)
    assert budget_demand(disabled, room(off_repeat=pending), NOON, UTC).reserve == 2
    assert budget_demand(disabled, room(), NOON, UTC).reserve == 0
    # Fed by a Home Assistant entity, the room reads no meter: only the end's OFF and repeat.
    entity = replace(settings, temperature_entity_id="sensor.room")
    inputs = EntityInputs(reading=SensorReading(21.0, None, NOON))
    assert budget_demand(entity, room(), NOON, UTC, inputs).reserve == 2
    assert budget_demand(entity, room(), NOON, UTC, inputs).wanted == 0
    # Its entity unusable, the meter is read again (the fallback): the reads count.
    assert budget_demand(entity, room(), NOON, UTC).reserve == 2 + 16


def test_wanted_reads_follow_the_rooms_own_schedule() -> None:
    settings = make_settings()
    # Near a threshold, every 15 s for the next hour (its current pace), then at the stretched
    # ceiling (900 s) for the 7 h of the window left, then an idle read each 1800 s for the
    # 4 h to 00:00 UTC.
    near = budget_demand(settings, room(NEAR), NOON, UTC)
    assert near == RoomDemand(
        wanted=3600 // 15 + 25200 // 900 + 14400 // 1800, reserve=16, urgency=2.0
    )
    # Far from it, the stretched interval (526 s) is its pace for the next hour.
    far = budget_demand(settings, room(FAR), NOON, UTC)
    assert far.wanted == math.ceil(3600 / 526) + 25200 // 900 + 8
    # A one-off short wait (landing on a grid tick) is not a pace: the base interval is.
    assert room_demand(
        settings, room(), NOON, UTC, EntityInputs(), interval_seconds=1, margin=None
    ) == replace(near, wanted=276)
    # Without stretching (rate 0, or adaptive polling off) the window is read at the base
    # interval throughout: 15 s for its 8 h.
    for fixed in (
        replace(settings, max_temperature_rate=0.0),
        replace(settings, adaptive_polling_enabled=False),
    ):
        assert budget_demand(fixed, room(NEAR), NOON, UTC).wanted == 28800 // 15 + 8
    # Outside the window: idle reads only, at the longer of the idle interval and reads.
    assert budget_demand(settings, room(at=NIGHT), NIGHT, UTC).wanted == 7200 // 1800
    slow = replace(settings, idle_poll_interval_seconds=3600)
    assert budget_demand(slow, room(at=NIGHT), NIGHT, UTC).wanted == 2
    # The automation off: the window counts as outside.
    disabled = replace(settings, automation_enabled=False)
    assert budget_demand(disabled, room(NEAR), NOON, UTC).wanted == 43200 // 1800
    # No meter: nothing to read from the cloud.
    no_meter = replace(settings, meter_device_id="")
    assert budget_demand(no_meter, room(NEAR), NOON, UTC).wanted == 0


def test_urgency_rises_near_a_threshold_and_is_zero_outside_the_windows() -> None:
    settings = make_settings()

    def urgency(state: AutomationState, now: datetime = NOON, **changes: object) -> float:
        return budget_demand(replace(settings, **changes), state, now, UTC).urgency

    assert urgency(room(NEAR)) == 2.0  # margin below 0: a command is due
    assert urgency(room(None)) == 2.0  # nothing to measure from: as if at the threshold
    assert urgency(room(FAR)) == pytest.approx(1 + 1 / 2.8)  # margin 1.8 °C
    # The AC heating at 19.0 °C: only stopping at 22.3 °C would act, farther than 18.7 °C.
    heating = room(19.0, assumed_power=True, assumed_parameter=HEATING)
    assert 1.0 < urgency(heating) < urgency(room(FAR))
    repeat = OffRepeat(1, 10, NOON + seconds(5), "x")
    on = room(FAR, assumed_power=True, assumed_parameter=HEATING, off_repeat=repeat)
    assert urgency(on) == 1.0  # an ON in effect, an OFF repeated: nothing would act
    assert urgency(room(NEAR, at=NIGHT), NIGHT) == 0.0
    assert urgency(room(NEAR), automation_enabled=False) == 0.0


def test_share_serves_the_more_urgent_rooms_first_and_this_room_last_among_equals() -> None:
    me = RoomDemand(wanted=100, reserve=0, urgency=1.5)
    urgent = RoomDemand(wanted=300, reserve=5, urgency=2.0)
    equal = RoomDemand(wanted=50, reserve=5, urgency=1.5)
    idle = RoomDemand(wanted=1000, reserve=5, urgency=0.0)
    assert share(me, [], 1000) == 100
    assert share(me, [idle], 150) == 100  # the idle room comes after
    assert share(me, [urgent], 350) == 50
    assert share(me, [urgent, equal], 420) == 70
    assert share(me, [urgent, equal], 300) == 0
    assert share(me, [], -10) == 0
    assert share(idle, [me, urgent, equal], 500) == 50


# --- When the next protected tick is due ---------------------------------------------------


def test_protected_instants() -> None:
    settings = make_settings()
    late = NOON - timedelta(minutes=25)
    # Inside the window: the read before the reading grows too old (30 min).
    assert protected_at(settings, room(at=late), NOON, UTC, EntityInputs()) == late + timedelta(
        minutes=30
    )
    # With the OFF at the window's end, the end when it comes first.
    evening = datetime(2026, 1, 7, 19, 50, tzinfo=UTC)
    ending = replace(settings, turn_off_outside_windows=True)
    assert protected_at(ending, room(at=evening), evening, UTC, EntityInputs()) == (
        evening + timedelta(minutes=10)
    )
    # An OFF repeat due first.
    repeat = OffRepeat(1, 10, NOON + seconds(10), "x")
    assert protected_at(settings, room(off_repeat=repeat), NOON, UTC, EntityInputs()) == (
        NOON + seconds(10)
    )
    # Outside: the next start.
    assert protected_at(settings, room(at=NIGHT), NIGHT, UTC, EntityInputs()) == (
        NIGHT + timedelta(hours=10)
    )
    # No reading yet, or read from an entity: the next start only (tomorrow 08:00).
    tomorrow = NOON + timedelta(hours=20)
    assert protected_at(settings, AutomationState(), NOON, UTC, EntityInputs()) == tomorrow
    entity = replace(settings, temperature_entity_id="sensor.room")
    inputs = EntityInputs(reading=SensorReading(21.0, None, NOON))
    assert protected_at(entity, room(at=late), NOON, UTC, inputs) == tomorrow
    # The automation off: only a repeat; nothing at all without one, or without windows.
    disabled = replace(settings, automation_enabled=False)
    assert protected_at(disabled, room(off_repeat=repeat), NOON, UTC, EntityInputs()) == (
        NOON + seconds(10)
    )
    assert protected_at(disabled, room(), NOON, UTC, EntityInputs()) is None
    windowless = replace(settings, time_windows=())
    assert protected_at(windowless, room(), NOON, UTC, EntityInputs()) is None
    # An instant already passed (a reading already too old) is not waited for.
    stale = room(at=NOON - timedelta(hours=1))
    assert protected_at(windowless, stale, NOON, UTC, EntityInputs()) is None
    assert protected_at(settings, stale, NOON, UTC, EntityInputs()) == tomorrow


# --- Several rooms on one budget -----------------------------------------------------------


@pytest.mark.no_cover  # a day of thousands of ticks: the example tests reach its lines
def test_the_default_budget_throttles_none_of_four_reference_rooms() -> None:
    """A weekday of four rooms always near a threshold, each read a call: never stretched.

    The reference week's weekday windows (06:30-08:30 and 17:30-23:00 in Paris, here in
    UTC), five minutes apart from room to room: about 7,300 reads, close to the budget of
    8,000. The budget stretches an interval only in ``budget_limited`` mode.
    """
    quota = QuotaCounter()
    day = datetime(2026, 1, 12, tzinfo=UTC)  # a Monday
    rooms = [
        make_settings(
            time_windows=(
                window(f"05:{30 + 5 * k:02d}", f"07:{30 + 5 * k:02d}"),
                window(f"16:{30 + 5 * k:02d}", f"22:{5 * k:02d}"),
            ),
            turn_off_outside_windows=True,
        )
        for k in range(4)
    ]
    states = [AutomationState(assumed_power=False, quota=quota) for _ in rooms]
    demands = [budget_demand(s, state, day, UTC) for s, state in zip(rooms, states, strict=True)]
    queue = [(day, index) for index in range(len(rooms))]
    ticks = 0
    while queue:
        now, index = heapq.heappop(queue)
        settings, state = rooms[index], states[index]
        if is_in_window(settings.time_windows, now, UTC) or idle_read_due(settings, state, now):
            # Always just past the heating threshold: the base grid all window long.
            quota.record_call(now)
            state = replace(state, last_reading=LastReading(18.6, 40.0, now))
        others = demands[:index] + demands[index + 1 :]
        decision = compute_interval(settings, state, now, UTC, others=others)
        assert decision.mode != PollingMode.BUDGET_LIMITED, (now, index)
        ticks += 1
        states[index] = state
        demands[index] = budget_demand(settings, state, now, UTC)
        if (later := now + seconds(decision.seconds)) < day + timedelta(days=1):
            heapq.heappush(queue, (later, index))
    assert 7000 < quota.calls < ticks


def three_rooms(calls: int) -> dict[str, tuple[Settings, AutomationState, PollDecision]]:
    """At noon: one room near a threshold, one far from it, one outside its window.

    Returns each room's settings, state and interval with the account at ``calls``.
    """
    quota = spent(calls)
    settings = make_settings()
    rooms = {
        "near": (settings, room(NEAR, quota=quota)),
        "far": (settings, room(FAR, quota=quota)),
        "outside": (
            make_settings(time_windows=(window("16:00", "22:00"),)),
            room(NEAR, quota=quota),
        ),
    }
    demands = {name: budget_demand(s, state, NOON, UTC) for name, (s, state) in rooms.items()}
    return {
        name: (
            s,
            state,
            compute_interval(
                s, state, NOON, UTC, others=[d for other, d in demands.items() if other != name]
            ),
        )
        for name, (s, state) in rooms.items()
    }


def throttled_from(name: str) -> int:
    """The fewest calls made today at which the room's interval is stretched by the budget."""
    low, high = 0, 8000
    while low < high:
        middle = (low + high) // 2
        if three_rooms(middle)[name][2].mode == PollingMode.BUDGET_LIMITED:
            high = middle
        else:
            low = middle + 1
    return low


def test_the_rooms_that_matter_least_give_way_first() -> None:
    order = [throttled_from(name) for name in ("outside", "far", "near")]
    assert order == sorted(order)
    assert len(set(order)) == 3
    # Just before the near room must give way, it keeps its own interval, the others not.
    rooms = three_rooms(order[2] - 1)
    for name, (settings, state, decision) in rooms.items():
        if name == "near":
            assert decision == unbudgeted(settings, state, NOON) == PollDecision(1, "in_window")
        else:
            assert decision.mode == PollingMode.BUDGET_LIMITED
            assert decision.seconds > unbudgeted(settings, state, NOON).seconds
    # Far from the budget, nobody is stretched.
    for settings, state, decision in three_rooms(0).values():
        assert decision == unbudgeted(settings, state, NOON)


def test_a_stretched_room_spreads_its_share_over_the_time_left() -> None:
    settings = make_settings(max_temperature_rate=0.0)
    other = RoomDemand(wanted=100, reserve=10, urgency=2.0)
    state = room(NEAR, quota=spent(7000))
    # 8000 - 7000 - 20 (a worst-case tick per room) - 16 (own reserve) - 10 (the other's):
    # 954, of which the more urgent room wants 100: 854 reads over the 43200 s left.
    decision = compute_interval(settings, state, NOON, UTC, others=[other])
    assert decision == PollDecision(math.ceil(43200 / 854), PollingMode.BUDGET_LIMITED)
    # Alone: 8000 - 7000 - 10 - 16 = 974 reads.
    alone = compute_interval(settings, state, NOON, UTC)
    assert alone == PollDecision(math.ceil(43200 / 974), PollingMode.BUDGET_LIMITED)


# --- Protected ticks are never passed -------------------------------------------------------


def spent_state(state: AutomationState, now: datetime) -> AutomationState:
    """``state`` with the day's budget all spent (no read left for non-protected ticks)."""
    return replace(state, quota=spent(8000 - MAX_CALLS_PER_TICK + 1, now))


@pytest.mark.parametrize(
    ("settings", "state", "now", "due"),
    [
        pytest.param(
            make_settings(),
            room(at=MIDNIGHT),
            MIDNIGHT + timedelta(hours=6),
            MIDNIGHT + timedelta(hours=8),
            id="start",
        ),
        pytest.param(
            make_settings(turn_off_outside_windows=True),
            room(at=NOON + timedelta(hours=7, minutes=50)),
            NOON + timedelta(hours=7, minutes=50),
            NOON + timedelta(hours=8),
            id="end",
        ),
        pytest.param(
            make_settings(),
            room(off_repeat=OffRepeat(1, 10, NOON + seconds(100), "x")),
            NOON,
            NOON + seconds(100),
            id="repeat",
        ),
        pytest.param(
            make_settings(),
            room(at=NOON - timedelta(minutes=25)),
            NOON,
            NOON + timedelta(minutes=5),
            id="reading_age",
        ),
        pytest.param(
            make_settings(automation_enabled=False),
            room(off_repeat=OffRepeat(1, 10, NOON + seconds(100), "x")),
            NOON,
            NOON + seconds(100),
            id="repeat_automation_off",
        ),
    ],
)
def test_a_spent_budget_still_lands_on_the_protected_tick(
    settings: Settings, state: AutomationState, now: datetime, due: datetime
) -> None:
    others = [RoomDemand(wanted=5000, reserve=100, urgency=2.0)]
    decision = compute_interval(settings, spent_state(state, now), now, UTC, others=others)
    assert decision == PollDecision(
        math.ceil((due - now).total_seconds()) + 1, PollingMode.BUDGET_LIMITED
    )
    # Even a room whose share is some reads never waits past it.
    roomy = replace(state, quota=spent(6000, now))
    assert now + seconds(compute_interval(settings, roomy, now, UTC, others=others).seconds) <= (
        due + seconds(1)
    )


# --- A day of several rooms on one budget -------------------------------------------------


@dataclass
class Room:
    """One simulated room: its settings, state, last demand and ticks."""

    settings: Settings
    state: AutomationState
    demand: RoomDemand
    ticks: list[datetime] = field(default_factory=list)
    protected: list[datetime] = field(default_factory=list)


def day_room(
    start: int, hours: int, base: int, temperature: float, *, turn_off: bool = False
) -> tuple[Settings, float]:
    """A room of the simulated day: a daily window from ``start`` o'clock, and its reading."""
    end = time((start + hours) % 24)
    return (
        make_settings(
            time_windows=(TimeWindow(ALL_DAYS, time(start), end),),
            poll_interval_seconds=base,
            turn_off_outside_windows=turn_off,
        ),
        temperature,
    )


DAY_ROOMS = st.builds(
    day_room,
    st.integers(0, 23),
    st.integers(1, 12),
    st.sampled_from([15, 30, 60]),
    st.sampled_from([NEAR, FAR, 18.0]),
    turn_off=st.booleans(),
)


def simulate_day(
    rooms: list[Room], quota: QuotaCounter, begin: datetime, tz: tzinfo, early: float
) -> None:
    """Run the rooms' ticks over the UTC day from ``begin``; check the budget at each one.

    A tick not protected makes the most calls a tick can; a protected one makes none here
    (its calls are set aside in the reserves) and is recorded apart. Ticks fire up to a
    second early, as Home Assistant's timers may.
    """
    budget = rooms[0].settings.daily_call_budget
    end = begin + timedelta(days=1)
    queue: list[tuple[datetime, int, datetime | None]] = []

    def decide(index: int, now: datetime) -> None:
        current = rooms[index]
        others = [other.demand for k, other in enumerate(rooms) if k != index]
        decision = compute_interval(current.settings, current.state, now, tz, others=others)
        current.demand = budget_demand(current.settings, current.state, now, tz)
        guard = protected_at(current.settings, current.state, now, tz, EntityInputs())
        later = now + seconds(max(0.0, decision.seconds - early))
        if later < end:
            heapq.heappush(queue, (later, index, guard))

    for index in range(len(rooms)):
        decide(index, begin)
    while queue:
        now, index, guard = heapq.heappop(queue)
        current = rooms[index]
        current.ticks.append(now)
        if guard is not None and now >= guard:
            current.protected.append(now)
        else:
            for _ in range(MAX_CALLS_PER_TICK):
                quota.record_call(now)
            reserved = sum(
                budget_demand(other.settings, other.state, now, tz).reserve for other in rooms
            )
            assert quota.calls_today(now) <= max(budget - reserved, 0), (now, index)
        reading = current.state.last_reading
        assert reading is not None
        current.state = replace(current.state, last_reading=replace(reading, read_at=now))
        decide(index, now)


@hypothesis_settings(max_examples=30, deadline=None)
# Found by this test when one worst-case tick was kept aside for the whole account: room 0
# (decided at 22:55 on 14 calls left after the reserves) and room 1 (at 23:00, on the same
# calls) each made a tick of 10 calls, the account 2 calls into the reserves at 23:11 UTC.
@example(
    configs=[
        day_room(20, 4, 15, FAR),
        day_room(23, 1, 15, NEAR),
        day_room(2, 12, 15, NEAR),
        day_room(21, 1, 15, FAR),
    ],
    budget=100,
    start_calls=0,
    early=0.0,
)
@given(
    configs=st.lists(DAY_ROOMS, min_size=2, max_size=4),
    budget=st.integers(100, 1500),
    start_calls=st.integers(0, 1500),
    early=st.floats(0, 1),
)
def test_a_shared_day_keeps_the_reserves_and_every_window_start(
    configs: list[tuple[Settings, float]], budget: int, start_calls: int, early: float
) -> None:
    begin = MIDNIGHT
    quota = QuotaCounter(day=begin.date(), calls=start_calls)
    rooms = []
    for settings, temperature in configs:
        state = room(temperature, at=begin, quota=quota)
        budgeted = replace(settings, daily_call_budget=budget)
        rooms.append(Room(budgeted, state, budget_demand(budgeted, state, begin, UTC)))
    simulate_day(rooms, quota, begin, UTC, early)
    # Every window start of every room gets its (protected) tick, a second or two after it.
    for current in rooms:
        day = occurrences_between(current.settings.time_windows, begin, begin + DAY, UTC)
        for start in (start for start, _ in day if start > begin):
            assert any(start <= tick <= start + seconds(2) for tick in current.protected), start


def test_a_protected_tick_sooner_than_the_room_s_own_keeps_the_room_s_interval() -> None:
    """The budget only ever lengthens an interval: capped by a protected tick that comes
    before the room's own next tick, the room keeps its own (here: stretched far from the
    thresholds, with a reading 25 minutes old whose age limit comes first)."""
    settings = make_settings(daily_call_budget=100, max_temperature_rate=0.01)
    state = room(20.5, at=NOON - timedelta(minutes=25), quota=spent(95))
    own = unbudgeted(settings, state, NOON)
    assert own.mode == PollingMode.IN_WINDOW_STRETCHED
    assert own.seconds > 5 * 60 + 1  # later than the reading's age limit
    assert compute_interval(settings, state, NOON, UTC) == own
