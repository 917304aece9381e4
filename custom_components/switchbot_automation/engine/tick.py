"""One automation tick (``docs/behaviour.md``, "One tick") and the quick off.

A tick returns a ``TickResult`` with a new state; the state given is not modified, except
for its shared quota counter (see ``quota``), which a "daily limit" answer marks exhausted.

Errors: ``CloudAuthError`` propagates so the caller can start re-authentication (the
state given then stays the current one). Every other ``CloudError`` ends the tick with
an outcome (``quota_exhausted``, ``device_offline``, ``api_error``), keeping what was done
before it (a repeat sent, a reading taken). While the quota is known to be exhausted a tick
makes no call at all.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
import logging
from typing import Final

from .actions import SentAction, send_action, send_off_repeat
from .automation_state import ActionKind, AutomationState, LastReading, OffRepeat
from .decision import decide
from .options import PublicStrEnum
from .outcomes import Outcome
from .polling import idle_read_due
from .port import (
    CloudAuthError,
    CloudError,
    CloudOfflineError,
    CloudPort,
    CloudQuotaError,
    CloudRefusedError,
    InvalidReadingError,
    Reading,
)
from .settings import Settings
from .windows import is_in_window

_LOGGER = logging.getLogger(__name__)


class Trigger(PublicStrEnum):
    """What started a tick (``TickResult.trigger``)."""

    SCHEDULER = "scheduler"
    MANUAL = "manual"
    QUICK_OFF = "quick_off"


# The ``power`` field of a physical device's status (plugs, relays).
_POWER_STATES: Final = {"on": True, "off": False}


@dataclass(frozen=True, slots=True)
class TickResult:
    """What a tick did: its outcome, the actions sent (in order) and the new state.

    ``reading`` is the meter reading taken by this tick (None if none was taken).
    """

    outcome: Outcome
    actions: tuple[SentAction, ...]
    state: AutomationState
    reading: Reading | None
    in_window: bool
    trigger: Trigger


class TickRun:
    """The progress of one tick (or quick off): the state so far and what was sent and read."""

    def __init__(
        self, settings: Settings, state: AutomationState, now: datetime, client: CloudPort
    ) -> None:
        """Start from ``state`` at ``now``, nothing sent or read yet."""
        self.settings = settings
        self.state = state
        self.now = now
        self.client = client
        self.actions: list[SentAction] = []
        self.reading: Reading | None = None

    async def guarded(self, steps: Callable[[], Awaitable[Outcome]]) -> Outcome:
        """Run ``steps`` unless the quota is exhausted; map cloud errors to outcomes."""
        if self.state.quota.is_exhausted(self.now):
            return Outcome.QUOTA_EXHAUSTED
        try:
            return await steps()
        except CloudAuthError:
            raise
        except CloudQuotaError as err:
            _LOGGER.warning("Daily API quota reached, pausing calls until 00:00 UTC: %s", err)
            self.state.quota.mark_exhausted(self.now)
            return Outcome.QUOTA_EXHAUSTED
        except CloudOfflineError as err:
            _LOGGER.debug("Device offline: %s", err)
            return Outcome.DEVICE_OFFLINE
        except CloudError as err:
            _LOGGER.debug("SwitchBot API error: %s", err)
            return Outcome.API_ERROR

    async def send(self, kind: ActionKind, reason: str) -> None:
        """Send a decided action."""
        self.state, sent = await send_action(
            self.client, self.settings, self.state, kind, reason=reason, now=self.now
        )
        self.actions.append(sent)

    async def run_due_off_repeat(self) -> None:
        """Re-send a due OFF.

        A repeat the cloud could not carry out now (device or hub offline, cloud unreachable
        or garbled, daily limit) stays pending with as many left, due again one repeat
        interval later but never before the next regular tick, and the error ends the tick
        with its outcome: dropping it could leave the AC running, and a long outage costs
        at most one call a tick, like regulating inside a window. A repeat the cloud refuses
        (the command itself: 151, 152, 160, 190) drops the ones left, as they would fail
        the same way.
        """
        repeat = self.state.off_repeat
        if repeat is None or not repeat.is_due(self.now):
            return
        try:
            self.state, sent = await send_off_repeat(
                self.client, self.settings, self.state, repeat, now=self.now
            )
        except CloudRefusedError as err:
            self.state = replace(self.state, off_repeat=None)
            _LOGGER.warning("OFF repeat refused, dropping the %s left: %s", repeat.remaining, err)
            return
        except CloudError:
            retry = replace(repeat, next_run_at=self.retry_at(repeat.interval_seconds))
            self.state = replace(self.state, off_repeat=retry)
            raise
        self.actions.append(sent)

    def retry_at(self, interval_seconds: int) -> datetime:
        """When to try again an OFF the cloud could not carry out now (see above)."""
        delay = max(interval_seconds, self.settings.poll_interval_seconds)
        return self.now + timedelta(seconds=delay)

    async def read_meter(self) -> None:
        """Read the thermometer, if one is configured."""
        if not self.settings.meter_device_id:
            return
        reading = await self.client.async_get_meter_reading(self.settings.meter_device_id)
        self.reading = reading
        self.state = replace(
            self.state,
            last_reading=LastReading(reading.temperature, reading.humidity, self.now),
        )

    async def read_aircon_power(self) -> None:
        """Take the AC's power from its status (a device that has one, e.g. a plug)."""
        status = await self.client.async_get_status(self.settings.aircon_device_id)
        power = status.get("power")
        if isinstance(power, str) and power.lower() in _POWER_STATES:
            self.state = replace(self.state, assumed_power=_POWER_STATES[power.lower()])

    def result(self, outcome: Outcome, *, in_window: bool, trigger: Trigger) -> TickResult:
        """Return the result, recording ``outcome`` in the state."""
        return TickResult(
            outcome=outcome,
            actions=tuple(self.actions),
            state=replace(self.state, last_outcome=outcome),
            reading=self.reading,
            in_window=in_window,
            trigger=trigger,
        )


async def _read(run: TickRun, *, regulating: bool, aircon_has_status: bool) -> Outcome | None:
    """Read the meter (and the AC's power when regulating); return an outcome to stop on.

    When not regulating the reading is informative only, so its failures are ignored.
    """
    try:
        await run.read_meter()
    except InvalidReadingError as err:
        if regulating:
            return Outcome.INVALID_TEMPERATURE
        _LOGGER.debug("Ignoring an invalid reading (not regulating): %s", err)
    except CloudError as err:
        if regulating or isinstance(err, CloudAuthError | CloudQuotaError):
            raise
        _LOGGER.debug("Meter read failed (not regulating): %s", err)
    if regulating and aircon_has_status and run.settings.aircon_device_id:
        await run.read_aircon_power()
    return None


async def _tick_steps(
    run: TickRun, *, in_window: bool, aircon_has_status: bool, trigger: Trigger
) -> Outcome:
    await run.run_due_off_repeat()
    regulating = run.settings.automation_enabled and in_window
    # Not regulating, the reading is only shown: a scheduled tick takes it when it is due.
    if (
        regulating
        or trigger != Trigger.SCHEDULER
        or idle_read_due(run.settings, run.state, run.now)
    ):
        stop = await _read(run, regulating=regulating, aircon_has_status=aircon_has_status)
        if stop is not None:
            return stop
    decision = decide(
        run.settings,
        run.state,
        run.now,
        in_window=in_window,
        temperature=None if run.reading is None else run.reading.temperature,
    )
    if decision.action is not None:
        await run.send(decision.action, decision.outcome)
    return decision.outcome


async def run_tick(
    settings: Settings,
    state: AutomationState,
    now: datetime,
    client: CloudPort,
    tz: tzinfo,
    *,
    trigger: Trigger = Trigger.SCHEDULER,
    aircon_has_status: bool = False,
) -> TickResult:
    """Run one tick at ``now`` (aware; recorded in UTC), windows read in ``tz``.

    In order: record ``last_tick``; stop with ``quota_exhausted`` if the quota is known to be
    exhausted; run a due OFF repeat (even with the automation disabled); read the meter, and
    when regulating inside a window with ``aircon_has_status`` the AC's ``power``; decide
    (``decision.decide``) and send the chosen action.
    """
    now = now.astimezone(UTC)
    in_window = is_in_window(settings.time_windows, now, tz)
    run = TickRun(settings, replace(state, last_tick=now, in_window=in_window), now, client)
    outcome = await run.guarded(
        lambda: _tick_steps(
            run, in_window=in_window, aircon_has_status=aircon_has_status, trigger=trigger
        )
    )
    return run.result(outcome, in_window=in_window, trigger=trigger)


async def run_quick_off(
    settings: Settings,
    state: AutomationState,
    now: datetime,
    client: CloudPort,
    reason: str = Outcome.QUICK_OFF,
) -> TickResult:
    """Send a real OFF now (off scene or ``turnOff``, never the fan) and schedule its repeats.

    Sent whatever the assumed state and the cooldown: the user asked for it. The caller
    disables the automation. Outcome ``quick_off``, or ``not_configured`` without an AC, or
    an error outcome as for a tick. ``last_tick`` is left alone: this is not a tick.

    An OFF the cloud could not carry out now (device or hub offline, cloud unreachable,
    daily limit) is left to the ticks, which run OFF repeats even with the automation
    disabled: all ``off_repeat_count`` sends are pending, the first at the next tick.
    """
    run = TickRun(settings, state, now.astimezone(UTC), client)

    async def steps() -> Outcome:
        if not settings.aircon_device_id:
            return Outcome.NOT_CONFIGURED
        try:
            await run.send(ActionKind.OFF, reason)
        except CloudRefusedError:
            raise
        except CloudError:
            interval = settings.off_repeat_interval_seconds
            pending = OffRepeat(settings.off_repeat_count, interval, run.retry_at(interval), reason)
            run.state = replace(run.state, off_repeat=pending)
            raise
        return Outcome.QUICK_OFF

    outcome = await run.guarded(steps)
    return run.result(outcome, in_window=bool(state.in_window), trigger=Trigger.QUICK_OFF)
