"""Tests of the time windows: weekdays, midnight, boundaries, DST, time zone resolution."""

from datetime import UTC, datetime, time, timedelta
import logging
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.switchbot_automation.engine.settings import TimeWindow
from custom_components.switchbot_automation.engine.windows import (
    TimezoneResolver,
    active_window,
    is_in_window,
    next_window_start,
    occurrences_between,
    zone_exists,
)
from tests.engine.support import ALL_DAYS

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
MONDAY = datetime(2026, 1, 5)  # a Monday


def window(days: tuple[int, ...], start: str, end: str) -> TimeWindow:
    return TimeWindow(days, time.fromisoformat(start), time.fromisoformat(end))


def local(  # noqa: PLR0917
    tz: ZoneInfo,
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    second: int = 0,
    *,
    fold: int = 0,
) -> datetime:
    """An aware local time; ``fold=1`` picks the second pass of a repeated hour."""
    return datetime(year, month, day, hour, minute, second, tzinfo=tz, fold=fold)


@pytest.mark.parametrize("day", range(7))
def test_each_weekday(day: int) -> None:
    windows = [window((day,), "09:00", "10:00")]
    for offset in range(7):
        now = (MONDAY + timedelta(days=offset, hours=9, minutes=30)).replace(tzinfo=UTC)
        assert is_in_window(windows, now, UTC) is (offset == day)


def test_start_inclusive_end_exclusive() -> None:
    windows = [window(ALL_DAYS, "09:00", "10:00")]
    nine = datetime(2026, 1, 5, 9, tzinfo=UTC)
    assert not is_in_window(windows, nine - timedelta(microseconds=1), UTC)
    assert is_in_window(windows, nine, UTC)
    assert is_in_window(windows, nine + timedelta(minutes=59, seconds=59), UTC)
    assert not is_in_window(windows, nine + timedelta(hours=1), UTC)


def test_crossing_midnight_ends_on_the_next_day() -> None:
    friday_night = [window((4,), "22:00", "02:00")]

    def at(day: int, hour: int, minute: int = 0) -> bool:
        now = datetime(2026, 1, day, hour, minute, tzinfo=UTC)  # 2026-01-09 is a Friday
        return is_in_window(friday_night, now, UTC)

    assert not at(9, 1)  # Friday 01:00 belongs to Thursday night, not listed
    assert not at(9, 21, 59)
    assert at(9, 22)
    assert at(9, 23, 59)
    assert at(10, 1, 59)  # Saturday early morning
    assert not at(10, 2)
    assert not at(10, 22, 30)  # Saturday night is not listed


def test_crossing_midnight_sunday_to_monday() -> None:
    sunday_night = [window((6,), "23:00", "01:00")]
    assert is_in_window(sunday_night, datetime(2026, 1, 12, 0, 30, tzinfo=UTC), UTC)  # Monday
    assert not is_in_window(sunday_night, datetime(2026, 1, 11, 0, 30, tzinfo=UTC), UTC)
    assert next_window_start(sunday_night, datetime(2026, 1, 12, 0, 30, tzinfo=UTC), UTC) == (
        datetime(2026, 1, 18, 23, tzinfo=UTC)
    )


def test_window_ending_at_midnight() -> None:
    evening = [window(ALL_DAYS, "22:00", "00:00")]
    assert is_in_window(evening, datetime(2026, 1, 5, 23, 59, tzinfo=UTC), UTC)
    assert not is_in_window(evening, datetime(2026, 1, 6, 0, 0, tzinfo=UTC), UTC)


def test_several_windows_are_ored_and_the_first_active_is_returned() -> None:
    morning = window(ALL_DAYS, "07:00", "09:00")
    evening = window(ALL_DAYS, "18:00", "22:00")
    overlapping = window(ALL_DAYS, "08:00", "19:00")
    windows = [morning, evening, overlapping]
    assert active_window(windows, datetime(2026, 1, 5, 7, 30, tzinfo=UTC), UTC) is morning
    assert active_window(windows, datetime(2026, 1, 5, 8, 30, tzinfo=UTC), UTC) is morning
    assert active_window(windows, datetime(2026, 1, 5, 12, tzinfo=UTC), UTC) is overlapping
    assert active_window(windows, datetime(2026, 1, 5, 18, 30, tzinfo=UTC), UTC) is evening
    assert active_window(windows, datetime(2026, 1, 5, 23, tzinfo=UTC), UTC) is None


def test_empty_list_is_never_active() -> None:
    now = datetime(2026, 1, 5, 12, tzinfo=UTC)
    assert not is_in_window([], now, UTC)
    assert next_window_start([], now, UTC) is None


def test_window_without_days_never_starts() -> None:
    assert (
        next_window_start([window((), "08:00", "09:00")], MONDAY.replace(tzinfo=UTC), UTC) is None
    )


def test_next_start_is_strictly_after_now() -> None:
    windows = [window((0, 2), "08:00", "09:00")]
    monday_eight = datetime(2026, 1, 5, 8, tzinfo=UTC)
    assert next_window_start(windows, monday_eight - timedelta(seconds=1), UTC) == monday_eight
    # At (and after) the start, the next start is Wednesday's.
    wednesday_eight = datetime(2026, 1, 7, 8, tzinfo=UTC)
    assert next_window_start(windows, monday_eight, UTC) == wednesday_eight
    # Across the week end: from Wednesday evening to next Monday.
    assert next_window_start(windows, datetime(2026, 1, 7, 20, tzinfo=UTC), UTC) == (
        datetime(2026, 1, 12, 8, tzinfo=UTC)
    )


def test_times_are_read_in_the_zone() -> None:
    windows = [window(ALL_DAYS, "09:00", "10:00")]
    # 08:30 UTC is 09:30 in Paris in winter.
    now = datetime(2026, 1, 5, 8, 30, tzinfo=UTC)
    assert is_in_window(windows, now, PARIS)
    assert not is_in_window(windows, now, UTC)
    start = next_window_start(windows, datetime(2026, 1, 5, 6, tzinfo=UTC), PARIS)
    assert start == datetime(2026, 1, 5, 8, tzinfo=UTC)
    assert start is not None
    assert start.tzinfo is UTC


# --- Daylight saving: Paris changes on 2026-03-29 (02:00 -> 03:00) and 2026-10-25 (03:00 ->
# 02:00); New York on 2026-03-08 (02:00 -> 03:00) and 2026-11-01 (02:00 -> 01:00).


def test_paris_start_in_the_missing_hour_is_the_end_of_the_gap() -> None:
    windows = [window((6,), "02:30", "04:00")]
    saturday = local(PARIS, 2026, 3, 28, 12)
    start = next_window_start(windows, saturday, PARIS)
    assert start == local(PARIS, 2026, 3, 29, 3)
    assert start == datetime(2026, 3, 29, 1, tzinfo=UTC)
    assert is_in_window(windows, local(PARIS, 2026, 3, 29, 3), PARIS)
    assert not is_in_window(windows, local(PARIS, 2026, 3, 29, 1, 59, 59), PARIS)


def test_paris_window_inside_the_missing_hour_is_skipped_that_day() -> None:
    windows = [window((6,), "02:00", "02:30")]
    start = next_window_start(windows, local(PARIS, 2026, 3, 28, 12), PARIS)
    assert start == local(PARIS, 2026, 4, 5, 2)
    assert not is_in_window(windows, local(PARIS, 2026, 3, 29, 3), PARIS)


def test_paris_spring_window_lasts_one_hour_less() -> None:
    windows = [window((6,), "01:00", "04:00")]
    assert is_in_window(windows, datetime(2026, 3, 29, 1, 59, tzinfo=UTC), PARIS)  # 03:59
    assert not is_in_window(windows, datetime(2026, 3, 29, 2, tzinfo=UTC), PARIS)  # 04:00


def test_paris_start_in_the_repeated_hour_happens_once() -> None:
    windows = [window((6,), "02:30", "03:00")]
    start = next_window_start(windows, local(PARIS, 2026, 10, 24, 12), PARIS)
    # An ambiguous local time never equals an instant of another zone: compare in UTC.
    assert start == local(PARIS, 2026, 10, 25, 2, 30, fold=0).astimezone(UTC)
    assert start == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    # The occurrence runs from the first 02:30 (summer time) to 03:00 (winter time)...
    assert is_in_window(windows, datetime(2026, 10, 25, 1, 59, tzinfo=UTC), PARIS)
    assert not is_in_window(windows, datetime(2026, 10, 25, 2, tzinfo=UTC), PARIS)
    # ...and does not start again at the second 02:30.
    second_pass = local(PARIS, 2026, 10, 25, 2, 10, fold=1)
    assert next_window_start(windows, second_pass, PARIS) == local(PARIS, 2026, 11, 1, 2, 30)


def test_paris_fall_window_lasts_one_hour_more() -> None:
    windows = [window((6,), "01:00", "04:00")]
    assert is_in_window(windows, datetime(2026, 10, 24, 23, tzinfo=UTC), PARIS)  # 01:00 CEST
    assert is_in_window(windows, datetime(2026, 10, 25, 2, 59, tzinfo=UTC), PARIS)  # 03:59 CET
    assert not is_in_window(windows, datetime(2026, 10, 25, 3, tzinfo=UTC), PARIS)


def test_new_york_spring_and_fall() -> None:
    spring = [window((6,), "02:15", "03:30")]
    assert next_window_start(spring, local(NEW_YORK, 2026, 3, 7, 12), NEW_YORK) == (
        datetime(2026, 3, 8, 7, tzinfo=UTC)  # 03:00 EDT
    )
    fall = [window((6,), "01:30", "05:00")]
    start = next_window_start(fall, local(NEW_YORK, 2026, 10, 31, 12), NEW_YORK)
    assert start == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # the first 01:30 (EDT)
    assert is_in_window(fall, datetime(2026, 11, 1, 6, 45, tzinfo=UTC), NEW_YORK)  # 01:45 EST


def test_crossing_midnight_across_the_spring_change() -> None:
    saturday_night = [window((5,), "23:00", "03:00")]
    assert is_in_window(saturday_night, local(PARIS, 2026, 3, 29, 1, 30), PARIS)
    assert not is_in_window(saturday_night, local(PARIS, 2026, 3, 29, 3), PARIS)


# --- Time zone resolution ----------------------------------------------------------------


def test_occurrences_between_lists_every_overlapping_occurrence_by_start() -> None:
    """The budget counts window starts, ends and reads from these: none missed, none extra."""
    windows = [window(ALL_DAYS, "18:00", "20:00"), window((2,), "23:00", "01:00")]
    wednesday = datetime(2026, 1, 7, 19, tzinfo=UTC)  # inside Wednesday's 18:00-20:00
    thursday = datetime(2026, 1, 8, 19, tzinfo=UTC)
    day = timedelta(days=1)

    def at(days: int, hour: int) -> datetime:
        return datetime(2026, 1, 7, tzinfo=UTC) + timedelta(days=days, hours=hour)

    # The active occurrence (started before ``begin``), the night one across midnight, and
    # Thursday's, which starts before ``end`` (exclusive: the one starting at it is not).
    assert occurrences_between(windows, wednesday, thursday, UTC) == [
        (at(0, 18), at(0, 20)),
        (at(0, 23), at(1, 1)),
        (at(1, 18), at(1, 20)),
    ]
    assert occurrences_between(windows, wednesday, at(1, 18), UTC) == [
        (at(0, 18), at(0, 20)),
        (at(0, 23), at(1, 1)),
    ]
    # One ending exactly at ``begin`` does not overlap it; Tuesday's night one (only
    # Wednesday listed) does not exist; Wednesday's, begun the day before, is found.
    assert occurrences_between(windows, at(0, 20), at(0, 22), UTC) == []
    assert occurrences_between(windows, at(1, 0), at(1, 2), UTC) == [(at(0, 23), at(1, 1))]
    assert occurrences_between(windows, at(-1, 0), at(-1, 0) + day, UTC) == [
        (at(-1, 18), at(-1, 20))
    ]
    assert occurrences_between([], wednesday, thursday, UTC) == []


def test_occurrences_between_reads_the_zone() -> None:
    # 18:00-20:00 in Paris is 17:00-19:00 UTC in winter; the spring day keeps its start.
    windows = [window(ALL_DAYS, "18:00", "20:00")]
    begin = datetime(2026, 1, 7, tzinfo=UTC)
    assert occurrences_between(windows, begin, begin + timedelta(days=1), PARIS) == [
        (datetime(2026, 1, 7, 17, tzinfo=UTC), datetime(2026, 1, 7, 19, tzinfo=UTC))
    ]
    spring = [window(ALL_DAYS, "02:00", "02:30"), window(ALL_DAYS, "02:30", "04:00")]
    begin = local(PARIS, 2026, 3, 29).astimezone(UTC)
    # 02:00-02:30 does not exist that day; 02:30 is 03:00 CEST (01:00 UTC).
    assert occurrences_between(spring, begin, begin + timedelta(hours=12), PARIS) == [
        (datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 3, 29, 2, tzinfo=UTC))
    ]


def test_zone_exists() -> None:
    assert zone_exists("Europe/Paris")
    assert not zone_exists("Mars/Olympus_Mons")
    assert not zone_exists("")
    assert not zone_exists("../../etc/passwd")


def test_resolver_empty_name_is_the_default() -> None:
    resolver = TimezoneResolver()
    assert not resolver.needs_loading("")
    assert resolver.resolve("", PARIS) is PARIS


def test_resolver_loads_once_and_caches() -> None:
    resolver = TimezoneResolver()
    assert resolver.needs_loading("Europe/Paris")
    resolver.load("Europe/Paris")
    assert not resolver.needs_loading("Europe/Paris")
    assert resolver.resolve("Europe/Paris", UTC) is PARIS
    resolver.load("Europe/Paris")  # a cached name is not loaded again
    assert resolver.resolve("America/New_York", UTC) is NEW_YORK  # loads on demand
    assert not resolver.is_invalid("Europe/Paris")


def test_resolver_invalid_name_falls_back_to_utc_reported_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    reported: list[str] = []
    resolver = TimezoneResolver(on_invalid=reported.append)
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            assert resolver.resolve("Nowhere/Land", PARIS) is UTC
    assert reported == ["Nowhere/Land"]
    assert caplog.text.count("Invalid time zone 'Nowhere/Land'") == 1
    assert resolver.is_invalid("Nowhere/Land")


def test_resolver_without_callback() -> None:
    assert TimezoneResolver().resolve("Bad/Zone", PARIS) is UTC


# --- Properties --------------------------------------------------------------------------

ZONES = st.sampled_from([UTC, PARIS, NEW_YORK])
TIMES = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
WINDOWS = st.lists(
    st.builds(
        TimeWindow,
        st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True).map(
            lambda days: tuple(sorted(days))
        ),
        TIMES,
        TIMES,
    ).filter(lambda window: window.start != window.end),
    max_size=3,
)
# Instants spread over a year, with extra weight around the DST changes.
DST_DAYS = [datetime(2026, 3, 8, tzinfo=UTC), datetime(2026, 3, 29, tzinfo=UTC)]
DST_DAYS += [datetime(2026, 10, 25, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)]
INSTANTS = st.one_of(
    st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31), timezones=st.just(UTC)),
    st.builds(
        lambda day, minutes: day + timedelta(minutes=minutes),
        st.sampled_from(DST_DAYS),
        st.integers(-36 * 60, 36 * 60),
    ),
)


@settings(max_examples=300, deadline=None)
@given(windows=WINDOWS, now=INSTANTS, tz=ZONES, fraction=st.floats(0, 1))
def test_is_in_window_agrees_with_next_window_start(
    windows: list[TimeWindow], now: datetime, tz: ZoneInfo, fraction: float
) -> None:
    start = next_window_start(windows, now, tz)
    if start is None:
        assert not windows
        return
    assert start > now
    assert start.tzinfo is UTC
    assert is_in_window(windows, start, tz)
    if not is_in_window(windows, now, tz):
        # No window starts before ``start``, so none is active until then.
        before_start = start - timedelta(microseconds=1)
        assert not is_in_window(windows, before_start, tz)
        assert not is_in_window(windows, min(now + (start - now) * fraction, before_start), tz)


@settings(max_examples=200, deadline=None)
@given(
    windows=WINDOWS,
    begin=INSTANTS,
    hours=st.integers(1, 48),
    tz=ZONES,
    fractions=st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=5),
)
def test_occurrences_between_agree_with_is_in_window(
    windows: list[TimeWindow], begin: datetime, hours: int, tz: ZoneInfo, fractions: list[float]
) -> None:
    end = begin + timedelta(hours=hours)
    occurrences = occurrences_between(windows, begin, end, tz)
    assert occurrences == sorted(occurrences)
    assert all(start < end and stop > begin for start, stop in occurrences)
    for fraction in fractions:
        now = begin + (end - begin) * fraction
        inside = any(start <= now < stop for start, stop in occurrences)
        assert inside is is_in_window(windows, now, tz)
    # Every start in the span is one of them: next_window_start finds no other.
    start = next_window_start(windows, begin, tz)
    if start is not None and start < end:
        assert start in [occurrence[0] for occurrence in occurrences]
