"""Daily API call accounting (``docs/behaviour.md``, "API quota").

The cloud allows 10,000 calls per account and UTC day and publishes no counter, so the
integration counts its own: the HTTP client reports every request through its ``on_request``
hook, and the coordinator wires that hook to ``QuotaCounter.record_call``. The counter is the
one mutable part of ``AutomationState``: every state derived from another shares the same
counter object, so calls recorded while a tick runs are never lost when the tick returns its
new state.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

DAILY_CALL_LIMIT: Final = 10_000


def next_utc_midnight(now: datetime) -> datetime:
    """Return the next 00:00 UTC strictly after ``now`` (aware)."""
    tomorrow = now.astimezone(UTC).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(), tzinfo=UTC)


@dataclass(slots=True)
class QuotaCounter:
    """Calls made on one UTC day, and until when the cloud refuses calls.

    ``day`` is the UTC date ``calls`` belong to; a call on a later day starts a new count.
    """

    day: date | None = None
    calls: int = 0
    exhausted_until: datetime | None = None

    def record_call(self, now: datetime) -> None:
        """Count one request made at ``now`` (aware)."""
        today = now.astimezone(UTC).date()
        if today != self.day:
            self.day = today
            self.calls = 0
        self.calls += 1

    def calls_today(self, now: datetime) -> int:
        """Return the calls made since the last 00:00 UTC."""
        return self.calls if now.astimezone(UTC).date() == self.day else 0

    def mark_exhausted(self, now: datetime) -> None:
        """Record that the cloud reported the daily limit: no calls until next 00:00 UTC."""
        self.exhausted_until = next_utc_midnight(now)

    def is_exhausted(self, now: datetime) -> bool:
        """Whether the cloud is known to refuse calls at ``now``."""
        return self.exhausted_until is not None and now < self.exhausted_until

    def remaining(self, now: datetime) -> int:
        """Estimate the calls left today: 0 once exhausted, else the limit minus the count."""
        if self.is_exhausted(now):
            return 0
        return max(0, DAILY_CALL_LIMIT - self.calls_today(now))

    def is_low(self, threshold: int, now: datetime) -> bool:
        """Whether the estimate fell to ``threshold`` (``api_quota_warning_threshold``).

        A threshold of 0 never warns.
        """
        return threshold > 0 and self.remaining(now) <= threshold
