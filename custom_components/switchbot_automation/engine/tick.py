"""One automation tick (``docs/behaviour.md``, "One tick") and the quick off.

A tick returns a ``TickResult`` with a new state; the state given is not modified, except
for its shared quota counter (see ``quota``), which a "daily limit" answer marks exhausted.

Errors: ``CloudAuthError`` propagates so the caller can start re-authentication (the
state given then stays the current one). Every other ``CloudError`` ends the tick with
an outcome (``quota_exhausted``, ``device_offline``, ``api_error``), keeping what was done
before it (a repeat sent, a reading taken, a command whose answer was lost). While the
quota is known to be exhausted a tick makes no call at all.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
import logging
from typing import Final

from .actions import SentAction, assume_unknown, send_action, send_off_repeat
from .automation_state import ActionKind, AutomationState, LastReading, OffRepeat
from .decision import decide, reading_is_stale
from .inputs import NO_INPUTS, EntityInputs, fresh_reading, window_paused
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
    CloudUnavailableError,
    InvalidReadingError,
    Reading,
)
from .power import check_after_command, commands_held, observe_power
from .settings import Settings
from .windows import is_in_window

_LOGGER = logging.getLogger(__name__)


class Trigger(PublicStrEnum):
    """What started a tick (``TickResult.trigger``)."""

    SCHEDULER = "scheduler"
    MANUAL = "manual"
    QUICK_OFF = "quick_off"
    STATE_CHANGE = "state_change"  # an input entity changed (``inputs``)


# The ``power`` field of a physical device's status (plugs, relays).
_POWER_STATES: Final = {"on": True, "off": False}


@dataclass(frozen=True, slots=True)
class TickResult:
    """What a tick did: its outcome, the actions sent (in order) and the new state.

    ``reading`` is the reading taken by this tick, from the temperature entity or the meter
    (None if none was taken).
    """

    outcome: Outcome
    actions: tuple[SentAction, ...]
    state: AutomationState
    reading: Reading | None
    in_window: bool
    trigger: Trigger


type Checkpoint = Callable[[AutomationState], Awaitable[None]]
"""Persists the state right after a command was attempted (``run_tick``'s ``checkpoint``)."""


async def _no_checkpoint(_state: AutomationState) -> None:
    """Keep nothing: a caller without storage (tests, benchmarks)."""


class TickRun:
    """The progress of one tick (or quick off): the state so far and what was sent and read."""

    def __init__(
        self,
        settings: Settings,
        state: AutomationState,
        now: datetime,
        client: CloudPort,
        checkpoint: Checkpoint,
        *,
        inputs: EntityInputs = NO_INPUTS,
    ) -> None:
        """Start from ``state`` at ``now``, nothing sent or read yet."""
        self.settings = settings
        self.state = state
        self.now = now
        self.client = client
        self.checkpoint = checkpoint
        self.inputs = inputs
        self.actions: list[SentAction] = []
        self.reading: Reading | None = None

    async def guarded(self, steps: Callable[[], Awaitable[Outcome]]) -> Outcome:
        """Run ``steps`` unless the quota is exhausted; map cloud errors to outcomes."""
        quota = self.state.quota
        if quota.is_exhausted(self.now):
            return Outcome.QUOTA_EXHAUSTED
        try:
            outcome = await steps()
        except CloudAuthError:
            raise
        except CloudQuotaError as err:
            quota.mark_exhausted(self.now)
            _LOGGER.warning(
                "Daily API quota reached, pausing calls until %s: %s",
                quota.exhausted_until.isoformat() if quota.exhausted_until else None,
                err,
            )
            return Outcome.QUOTA_EXHAUSTED
        except CloudOfflineError as err:
            _LOGGER.debug("Device offline: %s", err)
            outcome = Outcome.DEVICE_OFFLINE
        except CloudError as err:
            _LOGGER.debug("SwitchBot API error: %s", err)
            outcome = Outcome.API_ERROR
        quota.mark_answered()
        return outcome

    async def attempt(
        self, send: Callable[[], Awaitable[None]], kind: ActionKind, reason: str
    ) -> None:
        """Run ``send`` (a command) and save the state at once, whatever became of it.

        A command whose answer was lost may have run: the AC's power becomes unknown
        (``assume_unknown``). Commands the cloud did not carry out (lost, refused, offline)
        count in ``command_failures``; one that went through resets it. The error propagates.
        """
        try:
            await send()
        except (CloudAuthError, CloudQuotaError):
            raise
        except CloudError as err:
            if isinstance(err, CloudUnavailableError):
                self.state = assume_unknown(self.state, kind, reason, self.now)
            self.state = replace(self.state, command_failures=self.state.command_failures + 1)
            await self.checkpoint(self.state)
            raise
        self.state = replace(self.state, command_failures=0)
        await self.checkpoint(self.state)

    async def send_unless_held(self, kind: ActionKind, reason: str) -> Outcome | None:
        """Send an action a tick decided; return ``command_not_taken`` instead when held."""
        if commands_held(self.settings, self.state):
            return Outcome.COMMAND_NOT_TAKEN
        await self.send(kind, reason)
        return None

    async def send(self, kind: ActionKind, reason: str) -> None:
        """Send a decided action."""

        async def send() -> None:
            self.state, sent = await send_action(
                self.client, self.settings, self.state, kind, reason=reason, now=self.now
            )
            self.state = check_after_command(self.settings, self.state, self.now)
            self.actions.append(sent)

        await self.attempt(send, kind, reason)

    async def run_due_off_repeat(self) -> None:
        """Re-send a due OFF.

        A repeat the cloud could not carry out now (device or hub offline, cloud unreachable
        or garbled, an answer lost, daily limit) stays pending with as many left, due again
        one repeat interval later but never before the next regular tick, and the error ends
        the tick with its outcome: dropping it could leave the AC running. A repeat the cloud
        refuses (the command itself: 151, 152, 160, 190) drops the ones left, as they would
        fail the same way.
        """
        repeat = self.state.off_repeat
        if repeat is None or not repeat.is_due(self.now):
            return

        async def send() -> None:
            self.state, sent = await send_off_repeat(
                self.client, self.settings, self.state, repeat, now=self.now
            )
            self.actions.append(sent)

        try:
            await self.attempt(send, repeat.action, repeat.reason)
        except CloudRefusedError as err:
            self.state = replace(self.state, off_repeat=None)
            _LOGGER.warning("OFF repeat refused, dropping the %s left: %s", repeat.remaining, err)
            return
        except CloudError:
            retry = replace(repeat, next_run_at=self.retry_at(repeat.interval_seconds))
            self.state = replace(self.state, off_repeat=retry)
            raise

    def retry_at(self, interval_seconds: int) -> datetime:
        """When to try again an OFF the cloud could not carry out now (see above)."""
        delay = max(interval_seconds, self.settings.poll_interval_seconds)
        return self.now + timedelta(seconds=delay)

    def pend_off(self, reason: str, due: datetime) -> None:
        """Leave every OFF send to the ticks, the first due at ``due`` (it could not go now)."""
        settings = self.settings
        pending = OffRepeat(
            settings.off_repeat_count, settings.off_repeat_interval_seconds, due, reason
        )
        self.state = replace(self.state, off_repeat=pending)

    def take_entity_reading(self) -> None:
        """Take the temperature entity's reading when it is usable: no call, aged as reported."""
        sensor = fresh_reading(self.settings, self.inputs, self.now)
        if sensor is None:
            return
        self.reading = Reading(sensor.temperature, sensor.humidity)
        read_at = min(sensor.reported_at, self.now)
        self.state = replace(
            self.state, last_reading=LastReading(sensor.temperature, sensor.humidity, read_at)
        )

    async def read_meter(self) -> None:
        """Read the SwitchBot meter, if one is configured and no entity gave a reading."""
        if self.reading is not None or not self.settings.meter_device_id:
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

    When not regulating the reading is informative only, so its failures are ignored. When
    regulating, a failed read is the tick's outcome (``invalid_temperature``,
    ``device_offline``, ``api_error``); auth and quota errors always propagate.
    """
    try:
        await run.read_meter()
    except (CloudAuthError, CloudQuotaError):
        raise
    except CloudError as err:
        if not regulating:
            _LOGGER.debug("Meter read failed (not regulating): %s", err)
        elif isinstance(err, InvalidReadingError):
            return Outcome.INVALID_TEMPERATURE
        elif isinstance(err, CloudOfflineError):
            return Outcome.DEVICE_OFFLINE
        else:
            _LOGGER.debug("Meter read failed: %s", err)
            return Outcome.API_ERROR
    if regulating and aircon_has_status and run.settings.aircon_device_id:
        await run.read_aircon_power()
    return None


async def _tick_steps(
    run: TickRun, *, in_window: bool, aircon_has_status: bool, trigger: Trigger
) -> Outcome:
    settings = run.settings
    run.state = observe_power(settings, run.state, run.inputs.power, run.now)
    await run.run_due_off_repeat()
    run.take_entity_reading()
    if settings.automation_enabled and window_paused(settings, run.inputs, run.now):
        return await _pause_for_window(run)
    regulating = settings.automation_enabled and in_window
    # Not regulating, the reading is only shown: a scheduled tick takes it when it is due.
    stop = None
    if regulating or trigger != Trigger.SCHEDULER or idle_read_due(settings, run.state, run.now):
        stop = await _read(run, regulating=regulating, aircon_has_status=aircon_has_status)
    decision = decide(
        settings,
        run.state,
        run.now,
        in_window=in_window,
        temperature=None if run.reading is None else run.reading.temperature,
    )
    outcome = stop or decision.outcome
    if outcome in _NO_READING and _stale_off_due(settings, run.state, run.now):
        held = await run.send_unless_held(ActionKind.OFF, Outcome.STALE_READING_OFF)
        return held or Outcome.STALE_READING_OFF
    if stop is None and decision.action is not None:
        return await run.send_unless_held(decision.action, decision.outcome) or outcome
    return outcome


async def _pause_for_window(run: TickRun) -> Outcome:
    """Turn the unit off while a window is open (a real OFF, never the fan); decide nothing.

    The OFF goes whatever the cooldown, as the fail-safe OFF does: the unit must not heat
    or cool the street.
    """
    if run.settings.aircon_device_id and run.state.assumed_power is not False:
        return await run.send_unless_held(ActionKind.OFF, Outcome.WINDOW_OPEN) or (
            Outcome.WINDOW_OPEN
        )
    return Outcome.WINDOW_OPEN


# Outcomes of a regulating tick that had no usable reading.
_NO_READING: Final = frozenset(
    {Outcome.MISSING_METER, Outcome.INVALID_TEMPERATURE, Outcome.DEVICE_OFFLINE, Outcome.API_ERROR}
)


def _stale_off_due(settings: Settings, state: AutomationState, now: datetime) -> bool:
    """Whether the fail-safe OFF is due: blind for too long, with the AC maybe running."""
    return (
        bool(settings.aircon_device_id)
        and state.assumed_power is not False
        and reading_is_stale(settings, state, now)
    )


async def run_tick(
    settings: Settings,
    state: AutomationState,
    now: datetime,
    client: CloudPort,
    tz: tzinfo,
    *,
    trigger: Trigger = Trigger.SCHEDULER,
    aircon_has_status: bool = False,
    checkpoint: Checkpoint = _no_checkpoint,
    inputs: EntityInputs = NO_INPUTS,
) -> TickResult:
    """Run one tick at ``now`` (aware; recorded in UTC), windows read in ``tz``.

    In order: record ``last_tick``; stop with ``quota_exhausted`` if the quota is known to be
    exhausted; correct the assumed power with the power entity's (``power``); run a due OFF
    repeat (even with the automation disabled); take the temperature
    entity's reading from ``inputs``; with the automation enabled and a window open too long,
    send OFF and stop (``window_open``); read the meter unless the entity gave a reading, and
    when regulating inside a window with ``aircon_has_status`` the AC's ``power``; decide
    (``decision.decide``) and send the chosen action. Without a usable reading for
    ``max_reading_age_minutes`` while the AC may run, send OFF instead (``stale_reading_off``).
    ``checkpoint`` is awaited with the state right after each command attempt. With a power
    entity, after too many commands not taken, none is sent (``command_not_taken``).
    """
    now = now.astimezone(UTC)
    in_window = is_in_window(settings.time_windows, now, tz)
    run = TickRun(
        settings,
        replace(state, last_tick=now, in_window=in_window),
        now,
        client,
        checkpoint,
        inputs=inputs,
    )
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
    *,
    checkpoint: Checkpoint = _no_checkpoint,
) -> TickResult:
    """Send a real OFF now (off scene or ``turnOff``, never the fan) and schedule its repeats.

    Sent whatever the assumed state and the cooldown: the user asked for it. The caller
    disables the automation. Outcome ``quick_off``, or ``not_configured`` without an AC, or
    an error outcome as for a tick. ``last_tick`` is left alone: this is not a tick.

    An OFF the cloud could not carry out now (device or hub offline, cloud unreachable,
    daily limit, or the quota already known to be exhausted) is left to the ticks, which run
    OFF repeats even with the automation disabled: all ``off_repeat_count`` sends are
    pending, the first at the next tick that may call the cloud.
    """
    run = TickRun(settings, state, now.astimezone(UTC), client, checkpoint)
    if settings.aircon_device_id and state.quota.is_exhausted(run.now):
        run.pend_off(reason, run.now)

    async def steps() -> Outcome:
        if not settings.aircon_device_id:
            return Outcome.NOT_CONFIGURED
        try:
            await run.send(ActionKind.OFF, reason)
        except CloudRefusedError:
            raise
        except CloudError:
            run.pend_off(reason, run.retry_at(settings.off_repeat_interval_seconds))
            raise
        return Outcome.QUICK_OFF

    outcome = await run.guarded(steps)
    return run.result(outcome, in_window=bool(state.in_window), trigger=Trigger.QUICK_OFF)
