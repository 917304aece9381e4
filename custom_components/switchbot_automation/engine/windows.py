"""When regulation windows are active, and when the next one starts.

Windows are wall-clock times in a time zone; everything returned is an absolute instant, so
durations computed from it are right across daylight saving changes. Each window, on each
local date whose weekday it lists, has one *occurrence*: the half-open interval of instants
``[start, end)``, ``end`` being on the next date when the window crosses midnight. Its bounds
are the wall-clock times resolved to instants as follows:

- a time in the non-existent hour (spring forward) is the first instant after the gap, e.g.
  02:30 on the spring day in Paris is 03:00 local;
- a time in the repeated hour (fall back) is its first occurrence (``fold=0``), so a window
  starts once.

A window whose occurrence is empty on a given date (02:00-02:30 on the spring day) does not
run that day. ``is_in_window`` and ``next_window_start`` both derive from these occurrences,
so they always agree.
"""

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .settings import TimeWindow

_LOGGER = logging.getLogger(__name__)

_ONE_DAY = timedelta(days=1)
_ONE_SECOND = timedelta(seconds=1)
# Every weekday occurs within 7 days; a few more absorb an occurrence emptied by a DST change.
_SEARCH_DAYS = 15


def _local_instant(day: date, wall: time, tz: tzinfo) -> datetime:
    """Return the UTC instant of the wall-clock time ``wall`` on ``day`` in ``tz``."""
    naive = datetime.combine(day, wall)
    first = naive.replace(tzinfo=tz).astimezone(UTC)
    second = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if second >= first:
        # Unambiguous (equal), or the repeated hour: fold=0 is the first occurrence.
        return first
    # In the gap, fold=0 reads the time with the old offset and fold=1 with the new one, so
    # the transition lies in (second, first]. Offsets change on whole seconds: a binary
    # search over at most a few hours finds it in about 14 steps.
    old_offset = second.astimezone(tz).utcoffset()
    low, high = second, first
    while high - low > _ONE_SECOND:
        middle = low + (high - low) // 2
        if middle.astimezone(tz).utcoffset() == old_offset:
            low = middle
        else:
            high = middle
    return high


def _occurrence(window: TimeWindow, day: date, tz: tzinfo) -> tuple[datetime, datetime] | None:
    """Return ``[start, end)`` of ``window`` starting on local ``day``, or None if none."""
    if day.weekday() not in window.days:
        return None
    start = _local_instant(day, window.start, tz)
    end_day = day + _ONE_DAY if window.crosses_midnight else day
    end = _local_instant(end_day, window.end, tz)
    return (start, end) if start < end else None


def active_window(windows: Sequence[TimeWindow], now: datetime, tz: tzinfo) -> TimeWindow | None:
    """Return the first window active at ``now`` (aware), or None."""
    today = now.astimezone(tz).date()
    yesterday = today - _ONE_DAY
    for window in windows:
        # An occurrence containing now started today or, crossing midnight, yesterday.
        for day in (today, yesterday) if window.crosses_midnight else (today,):
            occurrence = _occurrence(window, day, tz)
            if occurrence is not None and occurrence[0] <= now < occurrence[1]:
                return window
    return None


def active_window_bounds(
    windows: Sequence[TimeWindow], now: datetime, tz: tzinfo
) -> tuple[datetime, datetime]:
    """Return the first start and the last end of the occurrences active at ``now`` (aware).

    ``(now, now)`` when none is active. A window starting exactly at the end (back to back)
    is not looked at: the end returned is when the active occurrences end.
    """
    today = now.astimezone(tz).date()
    active = [
        occurrence
        for window in windows
        for day in (today, today - _ONE_DAY)
        if (occurrence := _occurrence(window, day, tz)) is not None
        and occurrence[0] <= now < occurrence[1]
    ]
    if not active:
        return now, now
    return min(start for start, _ in active), max(end for _, end in active)


def is_in_window(windows: Sequence[TimeWindow], now: datetime, tz: tzinfo) -> bool:
    """Whether any window is active at ``now`` (aware); never with an empty list."""
    return active_window(windows, now, tz) is not None


def next_window_start(windows: Sequence[TimeWindow], now: datetime, tz: tzinfo) -> datetime | None:
    """Return the first window start strictly after ``now`` (aware), as a UTC instant.

    None when no window ever starts (no windows, or none with a day).
    """
    today = now.astimezone(tz).date()
    for offset in range(_SEARCH_DAYS):
        day = today + timedelta(days=offset)
        starts = [
            occurrence[0]
            for window in windows
            if (occurrence := _occurrence(window, day, tz)) is not None and occurrence[0] > now
        ]
        if starts:
            return min(starts)
    return None


def occurrences_between(
    windows: Sequence[TimeWindow], begin: datetime, end: datetime, tz: tzinfo
) -> list[tuple[datetime, datetime]]:
    """Return ``[start, end)`` of every occurrence overlapping ``[begin, end)``, by start."""
    first = begin.astimezone(tz).date() - _ONE_DAY
    days = (end.astimezone(tz).date() - first).days + 1
    return sorted(
        occurrence
        for offset in range(days)
        for window in windows
        if (occurrence := _occurrence(window, first + timedelta(days=offset), tz)) is not None
        and occurrence[0] < end
        and occurrence[1] > begin
    )


def _load_zone(name: str) -> ZoneInfo | None:
    """Return the IANA zone ``name``, or None if there is none. Blocking (reads tzdata)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def zone_exists(name: str) -> bool:
    """Whether ``name`` is a loadable IANA zone. Blocking (reads tzdata): use an executor."""
    return _load_zone(name) is not None


class TimezoneResolver:
    """Resolves the ``timezone`` option to a ``tzinfo``, caching every name it has seen.

    ``""`` means the caller's default zone (Home Assistant's). An invalid name resolves to
    UTC; it is logged and passed to ``on_invalid`` once per name, so the caller can raise a
    repair issue, and ``is_invalid`` tells whether that issue still applies.

    Loading a zone may read files, which must not happen in an event loop: call ``load``
    from an executor when ``needs_loading`` says so; ``resolve`` never blocks afterwards.
    """

    def __init__(self, on_invalid: Callable[[str], None] | None = None) -> None:
        """Optionally report invalid names through ``on_invalid(name)``."""
        self._on_invalid = on_invalid
        self._zones: dict[str, tzinfo] = {}
        self._invalid: set[str] = set()

    def needs_loading(self, name: str) -> bool:
        """Whether ``resolve(name, ...)`` would have to read files first."""
        return bool(name) and name not in self._zones

    def load(self, name: str) -> None:
        """Load and cache ``name`` (blocking). Does nothing for ``""`` or a cached name."""
        if not self.needs_loading(name):
            return
        zone = _load_zone(name)
        if zone is not None:
            self._zones[name] = zone
            return
        _LOGGER.warning("Invalid time zone %r, using UTC", name)
        self._zones[name] = UTC
        self._invalid.add(name)
        if self._on_invalid is not None:
            self._on_invalid(name)

    def resolve(self, name: str, default: tzinfo) -> tzinfo:
        """Return the zone of ``name``; ``""`` gives ``default``, an invalid name UTC.

        Loads the zone first if needed (blocking, see ``load``).
        """
        if not name:
            return default
        self.load(name)
        return self._zones[name]

    def is_invalid(self, name: str) -> bool:
        """Whether ``name`` was found invalid (and so resolves to UTC)."""
        return name in self._invalid
