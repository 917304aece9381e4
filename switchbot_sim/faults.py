"""Fault injection: make the next requests fail the ways the real cloud does.

A test queues a ``Fault`` for the next N requests, optionally only those whose path starts
with a prefix (or matches a compiled regular expression) and only one HTTP method::

    sim.inject(Fault.http(503), times=2, path="/v1.1/devices")
    sim.inject(Fault.status_code(190, "Requests reached the daily limit"))
    sim.inject(Fault.text("<html>Bad gateway</html>", http_status=502))
    sim.inject(Fault.http(200, {"message": "no statusCode"}))
    sim.inject(Fault.delayed(0.5), method="GET")
    sim.inject(Fault.lost_answer(504), method="POST")

A fault answers before authentication and is not counted against the daily quota, like an
error from the gateway in front of the real service. A delay fault only waits, then the
request is served normally (authenticated and counted). A lost answer is the other way
round: the request is carried out (and counted) first, then its answer is replaced, as when
the cloud ran a command but the reply never reached the caller.
"""

from dataclasses import dataclass, replace
from http import HTTPStatus
import json
import re
from typing import Any, Self


@dataclass(frozen=True, slots=True)
class CannedResponse:
    """An HTTP answer served as is."""

    status: int
    body: bytes
    content_type: str


@dataclass(frozen=True, slots=True)
class Fault:
    """Wait ``delay`` seconds, then serve ``response`` (or the normal answer if None).

    With ``executes``, the request is served first and its answer then replaced.
    """

    delay: float = 0.0
    response: CannedResponse | None = None
    executes: bool = False

    @classmethod
    def http(cls, status: int, body: Any = None) -> Self:
        """Answer HTTP ``status`` with ``body`` as JSON (default: the gateway's message)."""
        if body is None:
            body = {"message": _reason(status)}
        return cls(response=CannedResponse(status, json.dumps(body).encode(), "application/json"))

    @classmethod
    def text(cls, text: str, http_status: int = 200) -> Self:
        """Answer a body that is not JSON, e.g. an HTML error page."""
        return cls(response=CannedResponse(http_status, text.encode(), "text/html"))

    @classmethod
    def status_code(cls, code: int, message: str, body: Any = None) -> Self:
        """Answer HTTP 200 with a SwitchBot envelope carrying ``code`` and ``message``."""
        envelope = {"statusCode": code, "body": {} if body is None else body, "message": message}
        return cls.http(200, envelope)

    @classmethod
    def delayed(cls, seconds: float) -> Self:
        """Wait ``seconds`` before answering normally (to trip a client's timeout)."""
        return cls(delay=seconds)

    @classmethod
    def lost_answer(cls, status: int = 504, *, delay: float = 0.0) -> Self:
        """Carry the request out, then wait ``delay`` seconds and answer HTTP ``status``.

        A ``delay`` longer than the client's timeout makes the caller time out instead.
        """
        return replace(cls.http(status), delay=delay, executes=True)


def _reason(status: int) -> str:
    """Return the standard reason phrase of ``status``."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


@dataclass(slots=True)
class _Rule:
    """A queued fault and the requests it applies to."""

    fault: Fault
    remaining: int | None
    path: str | re.Pattern[str] | None
    method: str | None

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method:
            return False
        if isinstance(self.path, re.Pattern):
            return self.path.search(path) is not None
        return self.path is None or path.startswith(self.path)


class FaultInjector:
    """The queue of pending faults; the first matching rule wins."""

    def __init__(self) -> None:
        """Start with no fault."""
        self._rules: list[_Rule] = []

    def inject(
        self,
        fault: Fault,
        *,
        times: int | None = 1,
        path: str | re.Pattern[str] | None = None,
        method: str | None = None,
    ) -> None:
        """Apply ``fault`` to the next ``times`` matching requests (None: until cleared)."""
        self._rules.append(_Rule(fault, times, path, method))

    def clear(self) -> None:
        """Drop every pending fault."""
        self._rules.clear()

    @property
    def pending(self) -> int:
        """How many rules still wait for a request (a test can assert all were consumed)."""
        return len(self._rules)

    def take(self, method: str, path: str) -> Fault | None:
        """Return the fault for this request, if any, consuming one use of its rule."""
        for rule in self._rules:
            if rule.matches(method, path):
                if rule.remaining is not None:
                    rule.remaining -= 1
                    if rule.remaining <= 0:
                        self._rules.remove(rule)
                return rule.fault
        return None
