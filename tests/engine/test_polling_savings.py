"""Tests of the quota savings of polling: stretching in windows, idle reads, daily budget."""

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
import math

from hypothesis import given, settings, strategies as st

from custom_components.switchbot_automation.engine.automation_state import (
    AutomationState,
    LastReading,
    OffRepeat,
)
from custom_components.switchbot_automation.engine.polling import (
    MAX_CALLS_PER_TICK,
    PollDecision,
    PollingMode,
    compute_interval,
    idle_read_due,
    threshold_margin,
    window_grid,
)
from custom_components.switchbot_automation.engine.quota import QuotaCounter
from custom_components.switchbot_automation.engine.settings import Profile, Settings, TimeWindow
from custom_components.switchbot_automation.engine.tick import Trigger, run_tick
from custom_components.switchbot_automation.engine.windows import active_window_bounds
from tests.engine.support import (
    ALL_DAYS,
    NIGHT,
    NOON,
    FakeCloud,
    make_settings,
    seconds,
)

# make_settings: window every day 08:00-20:00 UTC, winter 19-22 °C, hysteresis 0.3 (heating
# starts at 18.7, stops at 22.3), base 15 s; the defaults: rate 0.2 °C/min, cloud lag 120 s,
# window maximum 900 s, idle reads every 1800 s, budget 8000.
HEATING = "21,5,3,on"
FAN = "21,4,3,on"
GRID = NOON + seconds(1)  # 08:00:01 + k * 15 s: a tick of the window's base grid


def reading(temperature: float | None, at: datetime = NOON) -> LastReading:
    return LastReading(temperature, 40.0, at)


def state_with(
    temperature: float | None = 21.0,
    *,
    power: bool | None = False,
    parameter: str | None = None,
    read_at: datetime = NOON,
    **changes: object,
) -> AutomationState:
    return replace(
        AutomationState(
            assumed_power=power,
            assumed_parameter=parameter,
            last_reading=reading(temperature, read_at),
        ),
        **changes,
    )


def decide_at(settings: Settings, state: AutomationState, now: datetime = NOON) -> PollDecision:
    return compute_interval(settings, state, now, UTC)


# --- Stretching inside a window ---------------------------------------------------------


def test_far_from_the_thresholds_the_interval_stretches_to_a_grid_tick() -> None:
    # AC off: only heating's 18.7 °C matters; 2.3 °C away, less 0.1 (resolution) and what
    # the room may do at 0.2 °C/min in the 120 s the cloud's value may lag: 1.8 °C, 540 s.
    decision = decide_at(make_settings(), state_with(21.0))
    assert decision == PollDecision(526, PollingMode.IN_WINDOW_STRETCHED)
    assert (NOON + seconds(526) - GRID) % timedelta(seconds=15) == timedelta(0)


def test_the_margin_counts_resolution_lag_and_the_reading_age() -> None:
    settings = make_settings()
    assert math.isclose(threshold_margin(settings, state_with(21.0), NOON) or 0, 2.3 - 0.1 - 0.4)
    old = state_with(21.0, read_at=NOON - seconds(60))
    assert math.isclose(threshold_margin(settings, old, NOON) or 0, 2.3 - 0.1 - 0.6)
    # A reading from the future (clock set back) is taken as fresh.
    future = state_with(21.0, read_at=NOON + seconds(60))
    assert threshold_margin(settings, future, NOON) == threshold_margin(
        settings, state_with(21.0), NOON
    )
    no_lag = make_settings(meter_update_interval_seconds=0)
    assert math.isclose(threshold_margin(no_lag, state_with(21.0), NOON) or 0, 2.2)


def test_near_a_threshold_every_grid_tick_is_kept() -> None:
    settings = make_settings()
    near = state_with(19.1)  # 0.4 °C from 18.7: the room could be there within the lag
    assert decide_at(settings, near) == PollDecision(1, PollingMode.IN_WINDOW)  # to 12:00:01
    assert decide_at(settings, near, GRID) == PollDecision(15, PollingMode.IN_WINDOW)
    # 0.32 °C of margin, 96 s: the last grid tick before, never in between.
    assert decide_at(settings, state_with(19.52), GRID) == PollDecision(
        90, PollingMode.IN_WINDOW_STRETCHED
    )


def test_the_threshold_that_matters_depends_on_the_assumed_state() -> None:
    settings = make_settings()
    heating = state_with(21.02, power=True, parameter=HEATING)
    # Heating: only stopping at 22.3 matters, 1.28 °C away: 0.78 °C, 234 s, grid tick 225.
    assert decide_at(settings, heating, GRID) == PollDecision(225, PollingMode.IN_WINDOW_STRETCHED)
    # Unknown state: both matter, the nearer one counts.
    unknown = state_with(21.5, power=None)
    assert math.isclose(threshold_margin(settings, unknown, NOON) or 0, 0.8 - 0.1 - 0.4)
    # Summer: cooling starts at 27.3, stops at 23.7.
    summer = make_settings(mode="summer")
    assert math.isclose(threshold_margin(summer, state_with(25.0), NOON) or 0, 2.3 - 0.5)
    cooling = state_with(25.0, power=True, parameter="25,2,3,on")
    assert math.isclose(threshold_margin(summer, cooling, NOON) or 0, 1.3 - 0.5)


def test_a_due_command_keeps_the_base_grid() -> None:
    settings = make_settings()
    # Past the threshold with the AC off: a cooldown held the ON back.
    assert threshold_margin(settings, state_with(18.0), NOON) < 0
    assert decide_at(settings, state_with(18.0), GRID) == PollDecision(15, PollingMode.IN_WINDOW)
    # Fan mode with the AC assumed off: the fan is due at once.
    fan = make_settings(fan_mode_during_window=True)
    assert threshold_margin(fan, state_with(21.0), NOON) == 0
    # Running the fan, reaching 22.3 sends nothing: only heating's threshold matters.
    running = state_with(21.0, power=True, parameter=FAN)
    assert math.isclose(threshold_margin(fan, running, NOON) or 0, 2.3 - 0.5)


def test_nothing_to_measure_from_keeps_the_base_grid() -> None:
    settings = make_settings()
    for state in (
        AutomationState(),
        state_with(None),
    ):
        assert threshold_margin(settings, state, NOON) is None
        assert decide_at(settings, state, GRID) == PollDecision(15, PollingMode.IN_WINDOW)
    invalid = make_settings(winter=Profile(23, 20, 21, 5, 3))
    assert threshold_margin(invalid, state_with(21.0), NOON) is None
    unusable = make_settings(winter=Profile(5, 22, 21, 5, 3))
    assert threshold_margin(unusable, state_with(21.0), NOON) is None


def test_no_command_possible_gives_an_infinite_margin() -> None:
    # An OFF being repeated while the ON is in effect (polling then waits for the repeat).
    repeat = OffRepeat(2, 10, NOON + seconds(10), "winter_off")
    heating = state_with(21.0, power=True, parameter=HEATING, off_repeat=repeat)
    assert threshold_margin(make_settings(), heating, NOON) == math.inf


def test_stretching_is_bounded_by_the_window_maximum() -> None:
    settings = make_settings(max_window_poll_interval_seconds=60)
    assert decide_at(settings, state_with(21.0), GRID) == PollDecision(
        60, PollingMode.IN_WINDOW_STRETCHED
    )
    # A maximum at or below the base interval turns stretching off.
    settings = make_settings(max_window_poll_interval_seconds=15)
    assert decide_at(settings, state_with(21.0), GRID) == PollDecision(15, PollingMode.IN_WINDOW)


def test_stretching_never_sleeps_past_the_window_end() -> None:
    now = datetime(2026, 1, 7, 19, 55, tzinfo=UTC)
    decision = decide_at(make_settings(), state_with(21.0, read_at=now), now)
    # The first grid tick after 20:00 is 20:00:01, where a base interval tick would land.
    assert decision == PollDecision(301, PollingMode.IN_WINDOW_STRETCHED)


def test_without_a_rate_the_window_uses_the_base_interval() -> None:
    settings = make_settings(max_temperature_rate=0.0)
    assert decide_at(settings, state_with(21.0)) == PollDecision(15, PollingMode.IN_WINDOW)


def test_window_grid() -> None:
    start = datetime(2026, 1, 7, 8, tzinfo=UTC)
    assert window_grid(start, 15, start - seconds(3600)) == start + seconds(1)
    assert window_grid(start, 15, start) == start + seconds(1)
    assert window_grid(start, 15, start + seconds(1)) == start + seconds(16)
    assert window_grid(start, 15, start + seconds(15.5)) == start + seconds(16)


def test_the_grid_of_a_window_across_midnight_starts_the_day_before() -> None:
    late = make_settings(time_windows=(TimeWindow(ALL_DAYS, time(22), time(2)),))
    now = datetime(2026, 1, 8, 1, 0, 0, 500_000, tzinfo=UTC)
    near = state_with(18.9, read_at=now)
    # 22:00:01 + k * 15 s: 01:00:01 is a grid tick.
    assert decide_at(late, near, now) == PollDecision(1, PollingMode.IN_WINDOW)


def test_active_window_bounds() -> None:
    windows = (
        TimeWindow(ALL_DAYS, time(8), time(20)),
        TimeWindow(ALL_DAYS, time(12), time(22)),
        TimeWindow(ALL_DAYS, time(23), time(1)),
    )
    day = datetime(2026, 1, 7, tzinfo=UTC)
    assert active_window_bounds(windows, day + timedelta(hours=13), UTC) == (
        day + timedelta(hours=8),
        day + timedelta(hours=22),
    )
    assert active_window_bounds(windows, day + timedelta(hours=24.5), UTC) == (
        day + timedelta(hours=23),
        day + timedelta(hours=25),
    )
    assert active_window_bounds(windows, NIGHT + seconds(1800), UTC) == (
        NIGHT + seconds(1800),
        NIGHT + seconds(1800),
    )


# --- Daily budget -----------------------------------------------------------------------


def calls(count: int, now: datetime = NOON) -> AutomationState:
    return AutomationState(quota=QuotaCounter(day=now.date(), calls=count))


def test_budget_off_or_far_from_it_changes_nothing() -> None:
    settings = make_settings(time_windows=())
    assert decide_at(settings, calls(0)).seconds == 600
    assert decide_at(replace(settings, daily_call_budget=0), calls(9999)).seconds == 600


def test_budget_running_low_spreads_the_rest_over_the_day() -> None:
    settings = make_settings(daily_call_budget=1000, max_temperature_rate=0.0)
    # 1000 - 900, less a worst-case tick (10) and the 16 reads that keep the reading fresh
    # until the window ends at 20:00 (protected): 74 reads over the 43200 s to 00:00 UTC,
    # one each 584 s.
    assert decide_at(settings, calls(900)) == PollDecision(584, PollingMode.BUDGET_LIMITED)
    # Sustainable at the base interval: short intervals are kept.
    roomy = replace(settings, daily_call_budget=8000)
    assert decide_at(roomy, calls(0)) == PollDecision(15, PollingMode.IN_WINDOW)
    # Never shortens a longer interval.
    idle = replace(settings, time_windows=())
    assert decide_at(idle, calls(900)) == PollDecision(600, "no_windows")


def test_budget_spent_waits_for_midnight_utc() -> None:
    settings = make_settings(daily_call_budget=1000)
    left = 1000 - MAX_CALLS_PER_TICK + 1
    assert decide_at(settings, calls(left)) == PollDecision(43201, PollingMode.BUDGET_LIMITED)
    # At midnight itself, no later than the window's start at 08:00 (protected: its read is
    # never skipped), and the landing second.
    midnight = datetime(2026, 1, 8, tzinfo=UTC)
    state = AutomationState(quota=QuotaCounter(day=midnight.date(), calls=left))
    assert decide_at(settings, state, midnight) == PollDecision(28801, PollingMode.BUDGET_LIMITED)
    # Without windows, nothing is protected: a day and the landing second.
    idle = replace(settings, time_windows=())
    assert decide_at(idle, state, midnight) == PollDecision(86401, PollingMode.BUDGET_LIMITED)
    # Yesterday's calls do not count.
    idle = replace(settings, time_windows=())
    assert decide_at(idle, calls(left, NOON - timedelta(days=1))).mode == "no_windows"


@settings(max_examples=60, deadline=None)
@given(
    budget=st.integers(MAX_CALLS_PER_TICK, 10_000),
    base=st.integers(15, 120),
    adaptive=st.booleans(),
    start_calls=st.integers(0, 10_000),
    early=st.floats(0, 1),
)
def test_worst_case_polling_never_spends_more_than_the_budget(
    budget: int, base: int, adaptive: bool, start_calls: int, early: float
) -> None:
    """Every tick makes the most calls a tick can, and fires up to a second early."""
    settings = make_settings(
        daily_call_budget=budget,
        poll_interval_seconds=base,
        adaptive_polling_enabled=adaptive,
        time_windows=(TimeWindow(ALL_DAYS, time(0), time(23, 59)),),
        max_temperature_rate=0.0,
    )
    now = datetime(2026, 1, 7, tzinfo=UTC)
    quota = QuotaCounter(day=now.date(), calls=min(start_calls, budget))
    state = AutomationState(quota=quota)
    end = now + timedelta(days=1)
    spent = quota.calls
    while True:
        decision = compute_interval(settings, state, now, UTC)
        now += seconds(max(0.0, decision.seconds - early))
        if now >= end:
            break
        for _ in range(MAX_CALLS_PER_TICK):
            quota.record_call(now)
        spent += MAX_CALLS_PER_TICK
    assert spent - min(start_calls, budget) <= max(0, budget - min(start_calls, budget))


# --- Properties of stretching -------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    temperature=st.floats(10, 30),
    power=st.none() | st.booleans(),
    rate=st.sampled_from([0.05, 0.1, 0.2, 0.5]),
    lag=st.integers(0, 600),
    offset=st.floats(0, 14.999),
    age=st.integers(0, 600),
)
def test_within_a_base_interval_of_a_threshold_no_grid_tick_is_skipped(
    *, temperature: float, power: bool | None, rate: float, lag: int, offset: float, age: int
) -> None:
    settings = make_settings(max_temperature_rate=rate, meter_update_interval_seconds=lag)
    now = GRID + seconds(offset)
    state = state_with(temperature, power=power, read_at=now - seconds(age))
    margin = threshold_margin(settings, state, now)
    decision = decide_at(settings, state, now)
    assert decision.seconds <= 3600
    if margin is not None and margin <= rate * 15 / 60:
        assert decision.mode == PollingMode.IN_WINDOW
        assert decision.seconds <= 15
    # Wherever it lands, it is a grid tick of the window.
    landing = now + seconds(decision.seconds)
    assert landing - GRID < timedelta(seconds=1) or (
        (landing - GRID) % timedelta(seconds=15) < timedelta(seconds=1)
    )


# --- Reading the meter when not regulating ------------------------------------------------


def test_idle_read_due() -> None:
    settings = make_settings()
    assert idle_read_due(settings, AutomationState(), NIGHT)
    assert not idle_read_due(settings, state_with(20.0, read_at=NIGHT - seconds(600)), NIGHT)
    assert idle_read_due(settings, state_with(20.0, read_at=NIGHT - seconds(1796)), NIGHT)
    assert idle_read_due(settings, state_with(20.0, read_at=NIGHT + seconds(60)), NIGHT)
    every_tick = make_settings(idle_read_interval_seconds=0)
    assert idle_read_due(every_tick, state_with(20.0, read_at=NIGHT), NIGHT)


async def test_a_tick_outside_the_windows_reads_the_meter_when_due() -> None:
    settings = make_settings()
    cloud = FakeCloud(17.0)
    fresh = state_with(20.0, read_at=NIGHT - seconds(600))
    result = await run_tick(settings, fresh, NIGHT, cloud, UTC)
    assert cloud.calls == []
    assert result.state.last_reading == fresh.last_reading
    assert result.outcome == "outside_window"
    stale = state_with(20.0, read_at=NIGHT - seconds(1800))
    result = await run_tick(settings, stale, NIGHT, cloud, UTC)
    assert cloud.calls == [("meter", "meter-1")]
    assert result.reading is not None
    # Disabled automation: the same.
    disabled = replace(settings, automation_enabled=False)
    result = await run_tick(disabled, state_with(20.0, read_at=NOON), NOON, cloud, UTC)
    assert len(cloud.calls) == 1
    assert result.outcome == "disabled"


async def test_a_manual_tick_always_reads_the_meter() -> None:
    cloud = FakeCloud(17.0)
    fresh = state_with(20.0, read_at=NIGHT - seconds(10))
    await run_tick(make_settings(), fresh, NIGHT, cloud, UTC, trigger=Trigger.MANUAL)
    assert cloud.calls == [("meter", "meter-1")]


async def test_turning_off_outside_the_windows_needs_no_reading() -> None:
    settings = make_settings(turn_off_outside_windows=True)
    cloud = FakeCloud(17.0)
    fresh = state_with(20.0, power=True, parameter=HEATING, read_at=NIGHT - seconds(10))
    result = await run_tick(settings, fresh, NIGHT, cloud, UTC)
    assert result.outcome == "turned_off_outside_window"
    assert cloud.calls == [("command", "ac-1", "turnOff", "default")]


def test_idle_mode_is_unchanged_by_the_savings() -> None:
    assert decide_at(make_settings(), state_with(20.0, read_at=NIGHT), NIGHT) == PollDecision(
        600, PollingMode.IDLE
    )
