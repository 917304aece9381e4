"""Tests of adaptive polling: every mode, the clamps, DST, and its bounds as properties."""

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st

from custom_components.switchbot_automation.engine.automation_state import (
    AutomationState,
    LastReading,
    OffRepeat,
)
from custom_components.switchbot_automation.engine.outcomes import Outcome
from custom_components.switchbot_automation.engine.polling import (
    PollDecision,
    PollingMode,
    compute_interval,
)
from custom_components.switchbot_automation.engine.quota import QuotaCounter
from custom_components.switchbot_automation.engine.settings import Settings, TimeWindow
from custom_components.switchbot_automation.engine.windows import next_window_start
from tests.engine.support import (
    ALL_DAYS,
    NIGHT,
    NOON,
    make_settings,
    seconds,
)

PARIS = ZoneInfo("Europe/Paris")
NINE = TimeWindow(ALL_DAYS, time(9), time(18))
FRESH = AutomationState()


SEED_POLLING = {
    "max_temperature_rate": 0.0,
    "idle_read_interval_seconds": 0,
    "daily_call_budget": 0,
}


def seed_settings(**changes: Any) -> Settings:
    """The engine's test settings with the original dashboard's polling (no quota savings)."""
    return make_settings(**{**SEED_POLLING, **changes})


def interval(settings: Settings, now: datetime, state: AutomationState = FRESH) -> PollDecision:
    return compute_interval(settings, state, now, UTC)


def at(hour: int, minute: int = 0, second: int = 0, microsecond: int = 0) -> datetime:
    return datetime(2026, 1, 7, hour, minute, second, microsecond, tzinfo=UTC)


def pending(due: datetime) -> AutomationState:
    return AutomationState(off_repeat=OffRepeat(2, 10, due, "winter_off"))


def test_modes_constant_lists_every_mode() -> None:
    assert set(PollingMode) == {
        "in_window",
        "warmup",
        "idle",
        "pending_off_repeat",
        "fixed",
        "automation_disabled",
        "no_windows",
        "quota_exhausted",
        "in_window_stretched",
        "budget_limited",
        "command_backoff",
        "on_change",
    }


def test_in_window_uses_the_base_interval() -> None:
    assert interval(seed_settings(poll_interval_seconds=30), NOON) == PollDecision(
        30, PollingMode.IN_WINDOW
    )


def test_base_interval_is_clamped() -> None:
    assert interval(seed_settings(poll_interval_seconds=1), NOON).seconds == 15
    assert interval(seed_settings(poll_interval_seconds=99999), NOON).seconds == 3600


def test_fixed_when_adaptive_polling_is_off() -> None:
    settings = seed_settings(adaptive_polling_enabled=False, poll_interval_seconds=20)
    assert interval(settings, NIGHT) == PollDecision(20, PollingMode.FIXED)
    assert interval(settings, NIGHT, pending(NIGHT)) == PollDecision(20, PollingMode.FIXED)


def test_automation_disabled_uses_the_idle_interval() -> None:
    settings = seed_settings(automation_enabled=False, idle_poll_interval_seconds=900)
    assert interval(settings, NOON) == PollDecision(900, PollingMode.AUTOMATION_DISABLED)


def test_idle_interval_is_clamped() -> None:
    assert interval(
        seed_settings(automation_enabled=False, idle_poll_interval_seconds=1), NOON
    ) == (PollDecision(15, PollingMode.AUTOMATION_DISABLED))
    settings = seed_settings(automation_enabled=False, idle_poll_interval_seconds=10**6)
    assert interval(settings, NOON).seconds == 86400


def test_no_windows_defect_fixed_polls_at_the_idle_interval() -> None:
    """Section 8: with no windows the original polled at the base interval."""
    assert interval(seed_settings(time_windows=()), NOON) == PollDecision(
        600, PollingMode.NO_WINDOWS
    )


def test_pending_repeat_polls_until_it_is_due() -> None:
    settings = seed_settings(poll_interval_seconds=15)
    assert interval(settings, NIGHT, pending(NIGHT + seconds(10))) == (
        PollDecision(10, PollingMode.PENDING_OFF_REPEAT)
    )
    # Never longer than the base interval, rounded up to land at or after the due time.
    assert interval(settings, NIGHT, pending(NIGHT + seconds(100))).seconds == 15
    assert interval(settings, NIGHT, pending(NIGHT + seconds(9.2))).seconds == 10
    # Overdue: at least one second.
    assert interval(settings, NIGHT, pending(NIGHT - seconds(5))).seconds == 1


def test_a_command_held_by_the_cooldown_is_decided_again_when_it_ends() -> None:
    """Outside the windows an idle interval (600 s) would leave the window's OFF, held by
    the cooldown of the ON sent 29 s before the end, waiting ten minutes."""
    settings = seed_settings(command_cooldown_seconds=60, turn_off_outside_windows=True)
    held = AutomationState(
        assumed_power=True,
        last_action_at=NIGHT - seconds(29),
        last_outcome=Outcome.COOLDOWN,
    )
    assert interval(settings, NIGHT, held) == PollDecision(32, PollingMode.IDLE)
    # Not held back: the idle interval; the cooldown over: nothing to wait for.
    sent = replace(held, last_outcome=Outcome.WINTER_ON)
    assert interval(settings, NIGHT, sent) == PollDecision(600, PollingMode.IDLE)
    assert interval(settings, NIGHT + seconds(31), held).seconds == 600


def test_pending_repeat_wins_over_disabled_and_no_windows() -> None:
    """The quick off disables the automation and schedules repeats: they must not wait."""
    due = pending(NOON + seconds(10))
    assert interval(seed_settings(automation_enabled=False), NOON, due) == (
        PollDecision(10, PollingMode.PENDING_OFF_REPEAT)
    )
    assert (
        interval(seed_settings(time_windows=()), NOON, due).mode == PollingMode.PENDING_OFF_REPEAT
    )


def test_quota_exhausted_waits_for_the_reset_first() -> None:
    quota = QuotaCounter(exhausted_until=datetime(2026, 1, 8, tzinfo=UTC))
    state = AutomationState(quota=quota, off_repeat=OffRepeat(2, 10, NIGHT, "x"))
    settings = seed_settings(adaptive_polling_enabled=False)
    assert interval(settings, NIGHT, state) == PollDecision(7200, PollingMode.QUOTA_EXHAUSTED)
    assert interval(settings, at(23, 59, 59, 500_000), state).seconds == 1
    # Once passed, it no longer applies.
    assert interval(settings, datetime(2026, 1, 8, tzinfo=UTC), state).mode == PollingMode.FIXED


def test_quota_wait_is_at_most_a_day() -> None:
    quota = QuotaCounter(exhausted_until=datetime(2030, 1, 1, tzinfo=UTC))
    assert interval(seed_settings(), NOON, AutomationState(quota=quota)).seconds == 86400


def test_no_next_start_uses_the_idle_interval() -> None:
    settings = seed_settings(time_windows=(TimeWindow((), time(9), time(10)),))
    assert interval(settings, NOON) == PollDecision(600, PollingMode.IDLE)


def test_warmup_boundary_is_inclusive() -> None:
    settings = seed_settings(time_windows=(NINE,), poll_warmup_minutes=15)
    assert interval(settings, at(8, 45)) == PollDecision(15, PollingMode.WARMUP)
    assert interval(settings, at(8, 50)) == PollDecision(15, PollingMode.WARMUP)
    # One second earlier it is idle, with the 15 s floor.
    assert interval(settings, at(8, 44, 59)) == PollDecision(15, PollingMode.IDLE)


def test_idle_is_clamped_to_land_at_the_warmup() -> None:
    """Idle 7200 s, warmup 30 min, window at 09:00: sleep until 08:30, not 2 h.

    The brief's example gives 5400 s "at 08:00": that is the figure at 07:00 (08:30 is
    1800 s after 08:00), so both instants are checked.
    """
    settings = seed_settings(
        time_windows=(NINE,), idle_poll_interval_seconds=7200, poll_warmup_minutes=30
    )
    assert interval(settings, at(7)) == PollDecision(5400, PollingMode.IDLE)
    assert interval(settings, at(8)) == PollDecision(1800, PollingMode.IDLE)


def test_idle_interval_when_the_window_is_far() -> None:
    settings = seed_settings(time_windows=(NINE,), poll_warmup_minutes=15)
    assert interval(settings, at(1)) == PollDecision(600, PollingMode.IDLE)


def test_idle_rounds_down_so_it_never_lands_after_the_warmup() -> None:
    settings = seed_settings(
        time_windows=(NINE,), idle_poll_interval_seconds=7200, poll_warmup_minutes=30
    )
    now = at(8, 0, 0, 500_000)
    decision = interval(settings, now)
    assert decision.seconds == 1799
    assert now + seconds(decision.seconds) <= at(8, 30)


def test_warmup_zero_still_lands_at_the_window_start() -> None:
    settings = seed_settings(time_windows=(NINE,), poll_warmup_minutes=0)
    assert interval(settings, at(8, 59)) == PollDecision(60, PollingMode.IDLE)
    # Nearer than the 15 s floor: just past the start (Home Assistant may fire a second early).
    assert interval(settings, at(8, 59, 50)) == PollDecision(11, PollingMode.IDLE)
    assert interval(settings, at(8, 59, 50, 300_000)) == PollDecision(11, PollingMode.IDLE)
    assert interval(settings, at(1)) == PollDecision(600, PollingMode.IDLE)


def test_last_warmup_tick_lands_just_past_the_window_start() -> None:
    settings = seed_settings(time_windows=(NINE,), poll_warmup_minutes=15)
    assert interval(settings, at(8, 59, 50)) == PollDecision(11, PollingMode.WARMUP)
    assert interval(settings, at(8, 59, 59, 250_000)) == PollDecision(2, PollingMode.WARMUP)
    assert interval(settings, at(8, 59, 40)) == PollDecision(15, PollingMode.WARMUP)


def test_spring_forward_defect_fixed_wakes_at_the_warmup_exactly() -> None:
    """Section 8: wall-clock arithmetic woke up an hour late on a spring-forward night."""
    settings = seed_settings(
        time_windows=(TimeWindow((6,), time(9), time(18)),),
        idle_poll_interval_seconds=86400,
        poll_warmup_minutes=15,
    )
    now = datetime(2026, 3, 29, 1, 30, tzinfo=PARIS)  # 01:30 CET, before the change
    decision = compute_interval(settings, FRESH, now, PARIS)
    assert decision.mode == PollingMode.IDLE
    # Aware arithmetic within one zone is wall-clock arithmetic: add in UTC.
    wake_up = (now.astimezone(UTC) + seconds(decision.seconds)).astimezone(PARIS)
    assert wake_up == datetime(2026, 3, 29, 8, 45, tzinfo=PARIS)
    assert (wake_up.hour, wake_up.minute, wake_up.utcoffset()) == (8, 45, timedelta(hours=2))
    assert decision.seconds == 6 * 3600 + 15 * 60


def test_fall_back_wakes_at_the_warmup_exactly() -> None:
    settings = seed_settings(
        time_windows=(TimeWindow((6,), time(9), time(18)),),
        idle_poll_interval_seconds=86400,
        poll_warmup_minutes=15,
    )
    now = datetime(2026, 10, 25, 1, 30, tzinfo=PARIS)  # 01:30 CEST
    decision = compute_interval(settings, FRESH, now, PARIS)
    assert (now.astimezone(UTC) + seconds(decision.seconds)).astimezone(PARIS) == (
        datetime(2026, 10, 25, 8, 45, tzinfo=PARIS)
    )
    assert decision.seconds == 8 * 3600 + 15 * 60


# --- Properties --------------------------------------------------------------------------

BOUNDS = {
    PollingMode.QUOTA_EXHAUSTED: (1, 86400),
    PollingMode.FIXED: (15, 3600),
    PollingMode.PENDING_OFF_REPEAT: (1, 3600),
    PollingMode.AUTOMATION_DISABLED: (15, 86400),
    PollingMode.NO_WINDOWS: (15, 86400),
    PollingMode.IN_WINDOW: (1, 3600),
    PollingMode.IN_WINDOW_STRETCHED: (16, 3600),
    PollingMode.WARMUP: (1, 3600),
    PollingMode.IDLE: (1, 86400),
    # Stretched past the base interval, or waiting for 00:00 UTC (a second away at least).
    PollingMode.BUDGET_LIMITED: (2, 86401),
}
TIMES = st.builds(time, st.integers(0, 23), st.integers(0, 59))
WINDOWS = st.lists(
    st.builds(
        TimeWindow,
        st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True).map(tuple),
        TIMES,
        TIMES,
    ).filter(lambda window: window.start != window.end),
    max_size=3,
).map(tuple)
NOW = st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31), timezones=st.just(UTC))
ZONES = st.sampled_from([UTC, PARIS, ZoneInfo("America/New_York")])
MAYBE_INSTANT = st.none() | st.builds(
    lambda now, offset: now + seconds(offset), NOW, st.integers(-100_000, 200_000)
)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Settings, AutomationState, datetime]:
    settings = seed_settings(
        automation_enabled=draw(st.booleans()),
        adaptive_polling_enabled=draw(st.booleans()),
        time_windows=draw(WINDOWS),
        poll_interval_seconds=draw(st.integers(-10, 5000)),
        idle_poll_interval_seconds=draw(st.integers(-10, 100_000)),
        poll_warmup_minutes=draw(st.integers(0, 1440)),
        mode=draw(st.sampled_from(["winter", "summer"])),
        fan_mode_during_window=draw(st.booleans()),
        max_temperature_rate=draw(st.sampled_from([0.0, 0.05, 0.2, 1.0, 7.0, -1.0])),
        max_window_poll_interval_seconds=draw(st.integers(-10, 5000)),
        meter_update_interval_seconds=draw(st.integers(-10, 5000)),
        daily_call_budget=draw(st.integers(-10, 12_000)),
    )
    now = draw(NOW)
    due = draw(MAYBE_INSTANT)
    temperature = draw(st.none() | st.floats(5, 40))
    read_at = now - seconds(draw(st.integers(-100, 100_000)))
    power = draw(st.none() | st.booleans())
    state = AutomationState(
        off_repeat=None if due is None else OffRepeat(1, 10, due, "x"),
        quota=QuotaCounter(
            day=now.date(),
            calls=draw(st.integers(0, 12_000)),
            exhausted_until=draw(MAYBE_INSTANT),
        ),
        last_reading=draw(st.none() | st.just(LastReading(temperature, 40.0, read_at))),
        assumed_power=power,
        assumed_parameter=draw(st.none() | st.sampled_from(["21,5,3,on", "21,4,3,on"])),
    )
    return settings, state, now


@settings(max_examples=400, deadline=None)
@given(scenario=scenarios(), tz=ZONES)
def test_interval_is_within_the_bounds_of_its_mode(
    scenario: tuple[Settings, AutomationState, datetime], tz: ZoneInfo
) -> None:
    settings, state, now = scenario
    decision = compute_interval(settings, state, now, tz)
    low, high = BOUNDS[decision.mode]
    assert low <= decision.seconds <= high
    assert isinstance(decision.seconds, int)


@settings(max_examples=400, deadline=None)
@given(scenario=scenarios(), tz=ZONES)
def test_idle_never_sleeps_past_the_warmup(
    scenario: tuple[Settings, AutomationState, datetime], tz: ZoneInfo
) -> None:
    settings, state, now = scenario
    decision = compute_interval(settings, state, now, tz)
    if decision.mode != PollingMode.IDLE:
        return
    start = next_window_start(settings.time_windows, now, tz)
    if start is None:
        return
    warmup_start = start - timedelta(minutes=settings.poll_warmup_minutes)
    wake_up = now + seconds(decision.seconds)
    # Only the 15 s floor may land a tick after the warmup start; without warmup, a start
    # nearer than that is waited for exactly, landing at most 2 s past it.
    assert wake_up <= max(warmup_start, now + seconds(15))
    assert (
        wake_up < start
        or decision.seconds == 15
        or (settings.poll_warmup_minutes == 0 and wake_up <= start + seconds(2))
    )
