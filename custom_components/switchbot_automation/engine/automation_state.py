"""The automation's persisted state: one object, serialised as one JSON document.

``AutomationState`` is frozen: a tick returns a new state instead of changing the one it was
given. The exception is ``quota``, the live call counter shared by every state derived from
the same original (``dataclasses.replace`` keeps the reference), so the HTTP client's
``on_request`` hook can count calls on it at any time (see ``quota``).

Loading is lenient: a stored document that is corrupt, truncated, of another version or of
the wrong types gives a fresh or partially recovered state, each dropped part reported
through ``warn``, never an exception: losing the assumed AC state is better than a dead tick.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final, Self

from .options import PublicStrEnum
from .outcomes import Outcome
from .quota import QuotaCounter
from .settings import NUMBER_BOUNDS, Warn, as_number, ignore_warning

STATE_VERSION: Final = 1


class ActionKind(PublicStrEnum):
    """What an action does to the air conditioner (``last_action``, the event's ``action``)."""

    ON = "on"
    OFF = "off"
    FAN = "fan"


# A stored OFF repeat holds what the options allow: at most every OFF send still to make (a
# quick off that could not be sent leaves them all to the ticks).
_MAX_REPEATS_LEFT: Final = int(NUMBER_BOUNDS["off_repeat_count"].maximum)
_REPEAT_INTERVAL_BOUND: Final = NUMBER_BOUNDS["off_repeat_interval_seconds"]


_MAX_FAILURES: Final = 10_000

REPEAT_DUE_TOLERANCE: Final = timedelta(seconds=1)
"""How early a repeat may be sent: the scheduling granularity of Home Assistant's timers."""


@dataclass(frozen=True, slots=True)
class OffRepeat:
    """OFF sends still to make: ``remaining`` more, the next one at ``next_run_at``.

    ``action`` is the OFF to re-send: ``"off"`` (off scene or ``turnOff``) or ``"fan"``
    (fan scene or ``setAll`` mode 4, the OFF inside a window with fan mode).
    """

    remaining: int
    interval_seconds: int
    next_run_at: datetime
    reason: str
    action: ActionKind = ActionKind.OFF

    def is_due(self, now: datetime) -> bool:
        """Whether the next send is due at ``now``, or within ``REPEAT_DUE_TOLERANCE``.

        The tick aimed at a repeat is scheduled on whole seconds and may fire up to a second
        early; without the tolerance it would find the repeat not yet due and cost one more
        tick (and meter read) a second later.
        """
        return now >= self.next_run_at - REPEAT_DUE_TOLERANCE


@dataclass(frozen=True, slots=True)
class LastReading:
    """The last meter reading and when it was read."""

    temperature: float | None
    humidity: float | None
    read_at: datetime


@dataclass(frozen=True, slots=True)
class AutomationState:
    """Everything that must survive a restart, plus what the last tick found.

    ``assumed_*`` is what the integration believes the AC does (an IR AC reports nothing):
    ``assumed_parameter`` is the setting last sent as a ``setAll`` parameter, also after a
    scene (the scene stands for that setting), and None after an OFF. ``assumed_power`` is
    None when unknown: never sent, forgotten, or a command whose answer was lost (it may
    have run). ``command_failures`` counts the commands in a row the cloud did not carry
    out; the ticks slow down while it grows (``polling``). With a power entity
    (``power``), ``observed_power`` is what it last said, ``power_check_at`` when the last
    command's effect is checked, and ``commands_not_taken`` the commands in a row it did
    not see take effect.
    """

    assumed_power: bool | None = None
    assumed_mode: int | None = None
    assumed_parameter: str | None = None
    last_action: ActionKind | None = None
    last_action_at: datetime | None = None
    last_action_reason: str | None = None
    off_repeat: OffRepeat | None = None
    quota: QuotaCounter = field(default_factory=QuotaCounter)
    last_reading: LastReading | None = None
    last_tick: datetime | None = None
    last_outcome: Outcome | None = None
    in_window: bool | None = None
    command_failures: int = 0
    observed_power: bool | None = None
    power_check_at: datetime | None = None
    commands_not_taken: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict; instants are ISO 8601 strings in UTC."""
        repeat = self.off_repeat
        reading = self.last_reading
        return {
            "version": STATE_VERSION,
            "assumed_power": self.assumed_power,
            "assumed_mode": self.assumed_mode,
            "assumed_parameter": self.assumed_parameter,
            "last_action": self.last_action,
            "last_action_at": _iso(self.last_action_at),
            "last_action_reason": self.last_action_reason,
            "off_repeat": None
            if repeat is None
            else {
                "remaining": repeat.remaining,
                "interval_seconds": repeat.interval_seconds,
                "next_run_at": _iso(repeat.next_run_at),
                "reason": repeat.reason,
                "action": repeat.action,
            },
            "quota": {
                "day": None if self.quota.day is None else self.quota.day.isoformat(),
                "calls": self.quota.calls,
                "exhausted_until": _iso(self.quota.exhausted_until),
                "refusals": self.quota.refusals,
            },
            "last_reading": None
            if reading is None
            else {
                "temperature": reading.temperature,
                "humidity": reading.humidity,
                "read_at": _iso(reading.read_at),
            },
            "last_tick": _iso(self.last_tick),
            "last_outcome": self.last_outcome,
            "in_window": self.in_window,
            "command_failures": self.command_failures,
            "observed_power": self.observed_power,
            "power_check_at": _iso(self.power_check_at),
            "commands_not_taken": self.commands_not_taken,
        }

    @classmethod
    def from_dict(cls, data: object, *, warn: Warn | None = None) -> Self:
        """Rebuild a state from ``to_dict`` output, recovering what can be; never raises."""
        report = warn or ignore_warning
        if not isinstance(data, Mapping):
            report(f"Stored automation state {data!r} is not an object, starting afresh")
            return cls()
        if data.get("version") != STATE_VERSION:
            report(
                f"Stored automation state has version {data.get('version')!r}, expected "
                f"{STATE_VERSION}: keeping only the parts that can be read"
            )
        default = cls()

        def read[T](key: str, parse: Callable[[object], T], fallback: T) -> T:
            if key not in data:
                return fallback
            try:
                return parse(data[key])
            except (TypeError, ValueError, OverflowError) as err:
                report(f"Stored automation state: dropping {key} ({err})")
                return fallback

        return cls(
            assumed_power=read("assumed_power", _optional(_bool), None),
            assumed_mode=read("assumed_mode", _optional(_int), None),
            assumed_parameter=read("assumed_parameter", _optional(_str), None),
            last_action=read("last_action", _optional(_action), None),
            last_action_at=read("last_action_at", _optional(parse_instant), None),
            last_action_reason=read("last_action_reason", _optional(_str), None),
            off_repeat=read("off_repeat", _optional(_off_repeat), None),
            quota=read("quota", _quota, default.quota),
            last_reading=read("last_reading", _optional(_reading), None),
            last_tick=read("last_tick", _optional(parse_instant), None),
            last_outcome=read("last_outcome", _optional(_outcome), None),
            in_window=read("in_window", _optional(_bool), None),
            command_failures=read("command_failures", _count, 0),
            observed_power=read("observed_power", _optional(_bool), None),
            power_check_at=read("power_check_at", _optional(parse_instant), None),
            commands_not_taken=read("commands_not_taken", _count, 0),
        )


def _iso(instant: datetime | None) -> str | None:
    return None if instant is None else instant.astimezone(UTC).isoformat()


def parse_instant(value: object) -> datetime:
    """Parse an ISO 8601 instant (a naive one is read as UTC), returned in UTC.

    Raises ``TypeError``/``ValueError``, or ``OverflowError`` for an instant that has no
    UTC date (``0001-01-01T00:00+01:00``): converting it on every save would fail instead.
    """
    instant = datetime.fromisoformat(_str(value))
    return instant.astimezone(UTC) if instant.tzinfo is not None else instant.replace(tzinfo=UTC)


def _optional[T](parse: Callable[[object], T]) -> Callable[[object], T | None]:
    def parse_optional(value: object) -> T | None:
        return None if value is None else parse(value)

    return parse_optional


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{value!r} is not a boolean")
    return value


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{value!r} is not an integer")
    return value


def _int_between(value: object, minimum: int, maximum: int) -> int:
    number = _int_at_least(value, minimum)
    if number > maximum:
        raise ValueError(f"{number} is above {maximum}")
    return number


def _int_at_least(value: object, minimum: int) -> int:
    number = _int(value)
    if number < minimum:
        raise ValueError(f"{number} is below {minimum}")
    return number


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not a string")
    return value


def _number(value: object) -> float:
    number = as_number(value)
    if number is None:
        raise TypeError(f"{value!r} is not a finite number")
    return number


def _action(value: object) -> ActionKind:
    if value not in ActionKind:
        raise ValueError(f"{value!r} is not an action")
    return ActionKind(_str(value))


def _outcome(value: object) -> Outcome:
    if value not in Outcome:
        raise ValueError(f"{value!r} is not an outcome")
    return Outcome(_str(value))


def _mapping(value: object) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{value!r} is not an object")
    return value


def _off_repeat(value: object) -> OffRepeat:
    data = _mapping(value)
    action = _action(data.get("action", ActionKind.OFF))
    if action == ActionKind.ON:
        raise ValueError("an OFF repeat cannot send ON")
    return OffRepeat(
        # Within what the options can schedule: a huge interval would overflow the next
        # due instant after each send, failing every tick once the OFF was sent again.
        remaining=_int_between(data.get("remaining"), 1, _MAX_REPEATS_LEFT),
        interval_seconds=_int_between(
            data.get("interval_seconds"), 1, int(_REPEAT_INTERVAL_BOUND.maximum)
        ),
        next_run_at=parse_instant(data.get("next_run_at")),
        reason=_str(data.get("reason")),
        action=action,
    )


def _count(value: object) -> int:
    """Read a count of consecutive failures (null: none), capped at a day's worth of them."""
    return 0 if value is None else min(_int_at_least(value, 0), _MAX_FAILURES)


def _quota(value: object) -> QuotaCounter:
    data = _mapping(value)
    day = data.get("day")
    until = data.get("exhausted_until")
    return QuotaCounter(
        day=None if day is None else date.fromisoformat(_str(day)),
        calls=_int_at_least(data.get("calls", 0), 0),
        exhausted_until=None if until is None else parse_instant(until),
        refusals=_count(data.get("refusals", 0)),
    )


def _reading(value: object) -> LastReading:
    data = _mapping(value)
    return LastReading(
        temperature=_optional(_number)(data.get("temperature")),
        humidity=_optional(_number)(data.get("humidity")),
        read_at=parse_instant(data.get("read_at")),
    )
