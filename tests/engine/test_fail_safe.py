"""Fail-safe rules of the engine: every doubt resolves towards "off" (docs/behaviour.md).

A command whose answer was lost may have run, a reading may stop coming, the cloud may keep
refusing commands or the daily quota: each case is driven here through ``run_tick`` and
``run_quick_off`` with the in-memory cloud.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from custom_components.switchbot_automation.engine.automation_state import (
    AutomationState,
    LastReading,
)
from custom_components.switchbot_automation.engine.decision import reading_is_stale
from custom_components.switchbot_automation.engine.polling import (
    LONGEST_COMMAND_BACKOFF,
    PollingMode,
    budget_spent,
    compute_interval,
    idle_read_due,
)
from custom_components.switchbot_automation.engine.port import (
    CloudOfflineError,
    CloudQuotaError,
    CloudRefusedError,
    CloudUnavailableError,
    InvalidReadingError,
)
from custom_components.switchbot_automation.engine.quota import QuotaCounter
from custom_components.switchbot_automation.engine.tick import run_quick_off, run_tick
from tests.engine.support import NIGHT, NOON, FakeCloud, make_settings, seconds

SET_HEAT = ("command", "ac-1", "setAll", "21,5,3,on")
TURN_OFF = ("command", "ac-1", "turnOff", "default")


def fresh(at: datetime = NOON, temperature: float = 20.0) -> LastReading:
    return LastReading(temperature, 40.0, at)


async def test_on_whose_answer_was_lost_makes_the_power_unknown_and_is_saved() -> None:
    cloud = FakeCloud(18.0)
    cloud.errors["command"] = CloudUnavailableError("POST timed out")
    saved: list[AutomationState] = []

    async def checkpoint(state: AutomationState) -> None:
        saved.append(state)

    result = await run_tick(
        make_settings(),
        AutomationState(assumed_power=False),
        NOON,
        cloud,
        UTC,
        checkpoint=checkpoint,
    )

    assert result.outcome == "api_error"
    assert result.state.assumed_power is None
    assert result.state.last_action_at == NOON  # the cooldown runs from the attempt
    assert result.state.command_failures == 1
    assert [state.assumed_power for state in saved] == [None]


async def test_after_a_lost_on_a_warm_room_gets_its_off() -> None:
    """The ON may have run: the next OFF decision is sent, not skipped as already off."""
    cloud = FakeCloud(18.0)
    cloud.errors["command"] = CloudUnavailableError("HTTP 504")
    settings = make_settings()
    lost = await run_tick(settings, AutomationState(assumed_power=False), NOON, cloud, UTC)
    del cloud.errors["command"]
    cloud.reading = replace(cloud.reading, temperature=23.0)

    later = await run_tick(settings, lost.state, NOON + seconds(61), cloud, UTC)

    assert later.outcome == "winter_off"
    assert cloud.sent[-1] == TURN_OFF
    assert later.state.assumed_power is False
    assert later.state.command_failures == 0


async def test_a_successful_command_is_saved_at_once() -> None:
    saved: list[AutomationState] = []

    async def checkpoint(state: AutomationState) -> None:
        saved.append(state)

    result = await run_tick(
        make_settings(), AutomationState(), NOON, FakeCloud(18.0), UTC, checkpoint=checkpoint
    )
    assert result.outcome == "winter_on"
    assert [(state.assumed_power, state.assumed_parameter) for state in saved] == [
        (True, "21,5,3,on")
    ]


@pytest.mark.parametrize(
    "error",
    [CloudOfflineError("hub offline"), CloudRefusedError("190")],
    ids=["offline", "refused"],
)
async def test_a_command_the_cloud_did_not_carry_out_keeps_the_assumed_power(
    error: Exception,
) -> None:
    cloud = FakeCloud(18.0)
    cloud.errors["command"] = error
    result = await run_tick(make_settings(), AutomationState(assumed_power=False), NOON, cloud, UTC)
    assert result.state.assumed_power is False
    assert result.state.command_failures == 1


async def test_lost_off_repeat_stays_pending_and_makes_the_power_unknown() -> None:
    cloud = FakeCloud(20.0)
    settings = make_settings(off_repeat_count=3, off_repeat_interval_seconds=10)
    first = await run_quick_off(settings, AutomationState(assumed_power=True), NOON, cloud)
    assert first.state.off_repeat is not None
    cloud.errors["command"] = CloudUnavailableError("timed out")

    result = await run_tick(settings, first.state, NOON + seconds(10), cloud, UTC)

    assert result.state.assumed_power is None
    assert result.state.off_repeat is not None
    assert result.state.off_repeat.remaining == 2  # the lost one is sent again


async def test_consecutive_command_failures_slow_the_ticks_down() -> None:
    settings = make_settings()
    state = AutomationState(assumed_power=False, last_reading=fresh(temperature=18.0))
    intervals = []
    for failures in range(1, 10):
        failing = replace(state, command_failures=failures)
        decision = compute_interval(settings, failing, NOON, UTC)
        intervals.append(decision.seconds)
        assert decision.mode == PollingMode.COMMAND_BACKOFF
    assert intervals == [30, 60, 120, 240, 480, 960, 1800, 1800, 1800]
    assert max(intervals) == LONGEST_COMMAND_BACKOFF
    assert compute_interval(settings, state, NOON, UTC).mode != PollingMode.COMMAND_BACKOFF


async def test_a_hub_refusing_every_command_costs_few_calls_an_hour() -> None:
    """Tick after tick at the interval the engine asks for, for one hour."""
    cloud = FakeCloud(18.0)
    cloud.errors["command"] = CloudOfflineError("hub offline")
    settings = make_settings()
    state = AutomationState(assumed_power=False)
    now = NOON
    while now < NOON + timedelta(hours=1):
        state = (await run_tick(settings, state, now, cloud, UTC)).state
        now += seconds(compute_interval(settings, state, now, UTC).seconds)
    # Today's figure is printed by scripts/bench_fail_safe; the bound is 20.
    assert len(cloud.calls) <= 20


async def test_stale_reading_turns_a_running_ac_off() -> None:
    cloud = FakeCloud()
    cloud.errors["meter"] = CloudOfflineError("meter offline")
    settings = make_settings(max_reading_age_minutes=30)
    running = AutomationState(
        assumed_power=True, assumed_parameter="21,5,3,on", last_reading=fresh()
    )

    young = await run_tick(settings, running, NOON + timedelta(minutes=30), cloud, UTC)
    assert young.outcome == "device_offline"
    assert cloud.sent == []

    old = await run_tick(settings, running, NOON + timedelta(minutes=31), cloud, UTC)
    assert old.outcome == "stale_reading_off"
    assert cloud.sent == [TURN_OFF]
    assert old.state.assumed_power is False
    assert old.state.last_action_reason == "stale_reading_off"

    again = await run_tick(settings, old.state, NOON + timedelta(minutes=32), cloud, UTC)
    assert again.outcome == "device_offline"  # already off: nothing more to send
    assert cloud.sent == [TURN_OFF]


@pytest.mark.parametrize(
    ("error", "temperature"),
    [
        (InvalidReadingError("NaN"), 20.0),
        (CloudUnavailableError("HTTP 503"), 20.0),
        (None, None),  # the meter answers without a temperature
    ],
    ids=["invalid", "unavailable", "no-temperature"],
)
async def test_every_kind_of_missing_reading_ages(
    error: Exception | None, temperature: float | None
) -> None:
    cloud = FakeCloud(temperature)
    if error is not None:
        cloud.errors["meter"] = error
    unknown = AutomationState(last_reading=fresh(NOON - timedelta(hours=2)))
    result = await run_tick(make_settings(), unknown, NOON, cloud, UTC)
    assert result.outcome == "stale_reading_off"
    assert cloud.sent == [TURN_OFF]


async def test_a_steady_reading_is_not_stale() -> None:
    settings = make_settings(max_reading_age_minutes=30)
    state = AutomationState(last_reading=fresh(NOON, 20.0))
    assert not reading_is_stale(settings, state, NOON + timedelta(minutes=30))
    assert reading_is_stale(settings, state, NOON + timedelta(minutes=30, seconds=1))
    assert reading_is_stale(settings, AutomationState(), NOON)
    result = await run_tick(settings, state, NOON + timedelta(hours=2), FakeCloud(20.0), UTC)
    assert result.outcome == "no_action"
    assert not reading_is_stale(settings, result.state, NOON + timedelta(hours=2))


async def test_idle_reads_never_let_the_reading_go_stale() -> None:
    settings = make_settings(idle_read_interval_seconds=7200, max_reading_age_minutes=20)
    state = AutomationState(last_reading=fresh(NIGHT))
    assert not idle_read_due(settings, state, NIGHT + timedelta(minutes=19))
    assert idle_read_due(settings, state, NIGHT + timedelta(minutes=20))


async def test_quick_off_under_an_exhausted_quota_is_kept_for_later() -> None:
    cloud = FakeCloud()
    settings = make_settings(off_repeat_count=2)
    exhausted = AutomationState(
        assumed_power=True, quota=QuotaCounter(exhausted_until=NOON + timedelta(minutes=15))
    )

    result = await run_quick_off(settings, exhausted, NOON, cloud)

    assert result.outcome == "quota_exhausted"
    assert cloud.calls == []
    pending = result.state.off_repeat
    assert pending is not None
    assert (pending.remaining, pending.next_run_at) == (2, NOON)
    # As soon as a call is possible, the OFF goes out.
    later = await run_tick(settings, result.state, NOON + timedelta(minutes=15), cloud, UTC)
    assert cloud.sent[0] == TURN_OFF
    assert later.state.off_repeat is not None


async def test_a_call_that_goes_through_ends_the_quota_back_off() -> None:
    cloud = FakeCloud()
    cloud.errors["meter"] = CloudQuotaError("429")
    first = await run_tick(make_settings(), AutomationState(), NOON, cloud, UTC)
    assert first.state.quota.refusals == 1
    del cloud.errors["meter"]
    later = await run_tick(
        make_settings(), first.state, NOON + timedelta(minutes=15), FakeCloud(20.0), UTC
    )
    assert later.state.quota.refusals == 0
    assert later.state.quota.exhausted_until is None


def test_budget_spent_leaves_room_for_one_worst_tick() -> None:
    settings = make_settings(daily_call_budget=100)
    assert not budget_spent(settings, AutomationState(quota=QuotaCounter(NOON.date(), 90)), NOON)
    assert budget_spent(settings, AutomationState(quota=QuotaCounter(NOON.date(), 91)), NOON)
    unlimited = make_settings(daily_call_budget=0)
    assert not budget_spent(unlimited, AutomationState(quota=QuotaCounter(NOON.date(), 9999)), NOON)
