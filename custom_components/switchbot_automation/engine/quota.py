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
from typing import Final, Self

DAILY_CALL_LIMIT: Final = 10_000
RESET_MARGIN: Final = timedelta(minutes=5)
"""How long after 00:00 UTC the first call after a daily limit is made: the cloud's reset
may come a little late (clock skew, a slow reset), and a refusal then costs a retry delay."""
FIRST_RETRY_DELAY: Final = timedelta(minutes=15)
LONGEST_RETRY_DELAY: Final = timedelta(hours=2)
"""After a daily-limit answer, calls pause for 15 minutes, doubling at each further refusal up
to 2 hours, and never past 00:00 UTC and ``RESET_MARGIN``: one refusal, maybe a throttling
429, must not stop the regulation, its OFF repeats and its window-end OFF for a day."""


def next_utc_midnight(now: datetime) -> datetime:
    """Return the next 00:00 UTC strictly after ``now`` (aware)."""
    tomorrow = now.astimezone(UTC).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(), tzinfo=UTC)


@dataclass(slots=True)
class QuotaCounter:
    """Calls made on one UTC day, and until when the cloud refuses calls.

    ``day`` is the UTC date ``calls`` belong to; a call on a later day starts a new count.
    ``refusals`` counts the daily-limit answers since the last call that went through.
    """

    day: date | None = None
    calls: int = 0
    exhausted_until: datetime | None = None
    refusals: int = 0

    def adopt(self, other: Self) -> None:
        """Take in what ``other`` knows: a room's stored copy of the account's counter.

        Every room stores the counter it shares with the others, as it was when that room
        last saved: the latest day's largest count and the furthest pause are the truth.
        """
        if other.day is not None and (self.day is None or other.day > self.day):
            self.day, self.calls = other.day, other.calls
        elif other.day == self.day:
            self.calls = max(self.calls, other.calls)
        if other.exhausted_until is not None and (
            self.exhausted_until is None or other.exhausted_until > self.exhausted_until
        ):
            self.exhausted_until = other.exhausted_until
        self.refusals = max(self.refusals, other.refusals)

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
        """Record that the cloud reported the daily limit: pause calls (``LONGEST_RETRY_DELAY``)."""
        delay = min(FIRST_RETRY_DELAY * 2**self.refusals, LONGEST_RETRY_DELAY)
        self.refusals += 1
        self.exhausted_until = min(now + delay, next_utc_midnight(now) + RESET_MARGIN)

    def mark_answered(self) -> None:
        """Record that calls go through again: the next refusal waits the first delay."""
        self.refusals = 0
        self.exhausted_until = None

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
