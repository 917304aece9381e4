"""Tests of the daily API call accounting."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from custom_components.switchbot_automation.engine.quota import (
    DAILY_CALL_LIMIT,
    RESET_MARGIN,
    QuotaCounter,
    next_utc_midnight,
)

EVENING = datetime(2026, 1, 7, 23, 59, 59, tzinfo=UTC)
MIDNIGHT = datetime(2026, 1, 8, tzinfo=UTC)


def test_next_utc_midnight() -> None:
    assert next_utc_midnight(EVENING) == MIDNIGHT
    assert next_utc_midnight(MIDNIGHT) == MIDNIGHT + timedelta(days=1)
    # 00:30 in Paris is still the previous UTC day.
    paris = datetime(2026, 1, 8, 0, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert next_utc_midnight(paris) == MIDNIGHT


def test_calls_are_counted_per_utc_day() -> None:
    counter = QuotaCounter()
    assert counter.calls_today(EVENING) == 0
    counter.record_call(EVENING)
    counter.record_call(datetime(2026, 1, 8, 0, 30, tzinfo=ZoneInfo("Europe/Paris")))
    assert (counter.day, counter.calls) == (date(2026, 1, 7), 2)
    assert counter.calls_today(EVENING) == 2
    assert counter.calls_today(MIDNIGHT) == 0  # reset at 00:00 UTC
    counter.record_call(MIDNIGHT)
    assert (counter.day, counter.calls) == (date(2026, 1, 8), 1)


def test_remaining_estimate() -> None:
    counter = QuotaCounter(day=date(2026, 1, 7), calls=9750)
    assert counter.remaining(EVENING) == 250
    assert counter.remaining(MIDNIGHT) == DAILY_CALL_LIMIT
    assert QuotaCounter(day=date(2026, 1, 7), calls=12000).remaining(EVENING) == 0


def test_warning_threshold() -> None:
    counter = QuotaCounter(day=date(2026, 1, 7), calls=9750)
    assert counter.is_low(250, EVENING)
    assert not counter.is_low(249, EVENING)
    assert not counter.is_low(0, EVENING)  # 0 never warns
    assert not QuotaCounter(day=date(2026, 1, 7), calls=10_000).is_low(0, EVENING)


def test_exhausted_until_next_utc_midnight() -> None:
    counter = QuotaCounter(day=date(2026, 1, 7), calls=10, refusals=5)
    assert not counter.is_exhausted(EVENING)
    counter.mark_exhausted(datetime(2026, 1, 7, 23, tzinfo=UTC))
    assert counter.exhausted_until == MIDNIGHT + RESET_MARGIN
    assert counter.is_exhausted(EVENING)
    assert counter.remaining(EVENING) == 0
    assert counter.is_low(1, EVENING)
    assert not counter.is_exhausted(MIDNIGHT + RESET_MARGIN)  # resumes by itself


def test_refusals_back_off_from_15_minutes_doubling_to_2_hours() -> None:
    counter = QuotaCounter()
    start = datetime(2026, 1, 7, 6, tzinfo=UTC)
    waits = []
    now = start
    for _ in range(6):
        counter.mark_exhausted(now)
        assert counter.exhausted_until is not None
        waits.append(counter.exhausted_until - now)
        now = counter.exhausted_until
    assert waits == [timedelta(minutes=minutes) for minutes in (15, 30, 60, 120, 120, 120)]
    counter.mark_answered()
    assert (counter.refusals, counter.exhausted_until) == (0, None)
    counter.mark_exhausted(now)
    assert counter.exhausted_until == now + timedelta(minutes=15)


def test_first_call_after_the_reset_is_a_few_minutes_past_midnight() -> None:
    counter = QuotaCounter()
    counter.mark_exhausted(datetime(2026, 1, 7, 23, 55, tzinfo=UTC))
    assert counter.exhausted_until == MIDNIGHT + RESET_MARGIN
