"""The simulator's clock, which tests move by hand instead of waiting.

Everything time-dependent in the simulator (room temperature, the per-day call counter, the
request record) reads this clock, so a test can jump hours ahead in microseconds. Three
sources cover every use: a manual clock (the default, fully deterministic), a clock that
follows another ``now()`` (e.g. Home Assistant's frozen ``dt_util.utcnow`` under the
``freezer`` fixture) and real time sped up for the standalone server. In every mode
``advance`` and ``set`` shift the clock relative to its source.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
import time
from typing import Final, Self

DEFAULT_START: Final = datetime(2026, 1, 15, 6, 0, tzinfo=UTC)
"""Where a manual clock starts: a winter morning, so heating scenarios read naturally."""


class SimClock:
    """A UTC clock: ``now() = source() + offset``."""

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        """Create a manual clock standing still at ``start`` until advanced or set."""
        self._source: Callable[[], datetime] = lambda: start
        self._offset = timedelta()
        self.set(start)

    @classmethod
    def following(cls, now: Callable[[], datetime]) -> Self:
        """Create a clock that reads ``now()`` (timezone-aware) on every call."""
        clock = cls()
        clock._source = now
        return clock

    @classmethod
    def real_time(
        cls,
        speed: float = 1.0,
        start: datetime | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> Self:
        """Create a clock running ``speed`` times faster than real time from ``start``.

        ``start`` defaults to the current UTC time; ``monotonic`` is the real-time source,
        replaceable so tests do not have to wait.
        """
        origin = datetime.now(UTC) if start is None else start
        real_origin = monotonic()
        clock = cls(origin)
        clock._source = lambda: origin + timedelta(seconds=(monotonic() - real_origin) * speed)
        return clock

    def now(self) -> datetime:
        """Return the current simulated time, timezone-aware, in UTC."""
        return (self._source() + self._offset).astimezone(UTC)

    def advance(self, seconds: float) -> None:
        """Move the clock ``seconds`` forward (backward if negative)."""
        self._offset += timedelta(seconds=seconds)

    def set(self, when: datetime) -> None:
        """Jump to ``when`` (timezone-aware); the source keeps running from there."""
        if when.tzinfo is None:
            raise ValueError("the simulator clock needs a timezone-aware datetime")
        self._offset = when - self._source()
