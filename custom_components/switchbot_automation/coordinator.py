"""The tick loop of one config entry: Home Assistant's side of the automation engine.

Each refresh of the coordinator is one engine tick (``tick.run_tick``). The engine decides
what to send and how long to wait; this module feeds it the clock, the client, the settings
and the stored state, then persists the new state, fires an event per command sent, keeps
the repair issues current, and sets ``update_interval`` to the engine's next interval.

Scheduling rests on ``DataUpdateCoordinator``: after each refresh it schedules the next one
``update_interval`` after the refresh ends, and only while it has listeners and polling is
enabled for the entry (``pref_disable_polling``): Home Assistant's "Enable polling for updates"
switch. Manual ticks (button, service, changed options) run through ``async_run_tick``,
which publishes with ``async_set_updated_data`` and so reschedules from the manual tick.

With input entities (``entity_inputs``), a change of the temperature, a contact or the power
entity also runs a tick (trigger ``state_change``), through a debouncer: the first change
runs one at once, and the changes of the next ``INPUT_TICK_COOLDOWN_SECONDS`` one more at
its end, so a sensor flooding the state machine cannot run more than one tick per cooldown.
A change while that tick runs finds the debouncer busy and is not queued by it: the tick
then sets the next one at most a cooldown away.

Ticks never overlap: one lock covers every tick and the quick off. A tick also runs to its
end when Home Assistant stops or the entry unloads in the middle of it, so a command sent is
always recorded and saved: it runs in a task of the entry, shielded from the cancellation
of the scheduled refresh, and Home Assistant's stop waits for it (``async_finish_on_stop``:
a stop does not wait for tasks already running, and cancels them at its end).

An unload waits for tasks ten seconds at most, and a tick whose requests time out lasts
longer. The lock therefore belongs to the entry, not to one coordinator
(``entry_tick_lock``): after a reload the new coordinator reads the stored state only once
the old one's last tick has ended and been saved, so two coordinators never tick at once;
a removal deletes the state only then (``async_remove_entry``). A stopped coordinator runs
no tick that was still waiting for the lock.
"""

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
import logging
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import CONF_TOKEN
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ServiceValidationError
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .account import create_client
from .cloud import Device, DeviceList
from .cloud_adapter import CloudAdapter
from .const import CONF_SECRET, DOMAIN
from .devices import DeviceRole, async_sync_devices, device_link
from .engine import (
    AutomationState,
    CloudAuthError,
    CloudError,
    CloudQuotaError,
    EntityInputs,
    PollDecision,
    Settings,
    TickResult,
    TimezoneResolver,
    Trigger,
    WarnOnce,
    budget_spent,
    commands_held,
    compute_interval,
    reading_is_stale,
    run_quick_off,
    run_tick,
    settings_from_options,
)
from .entity_inputs import async_track_inputs, read_inputs, watched_entities
from .helpers import TickFailedError
from .issues import (
    ISSUE_COMMAND_FAILING,
    ISSUE_COMMAND_NOT_TAKEN,
    ISSUE_INVALID_TIMEZONE,
    ISSUE_QUOTA_EXHAUSTED,
    ISSUE_STALE_READING,
    async_set_issue,
)
from .store import AutomationStateStore

_LOGGER = logging.getLogger(__name__)

EVENT_COMMAND: Final = f"{DOMAIN}_command"
TICK_FAILED_MESSAGE: Final = "Tick failed (will retry next interval)"
COMMAND_FAILURES_REPORTED: Final = 3
"""Commands in a row the cloud did not carry out before a repair issue tells the user."""
AUTH_RETRY_SECONDS: Final = 300
"""Shortest interval between ticks while the cloud refuses the credentials."""
INPUT_TICK_COOLDOWN_SECONDS: Final = 5
"""Shortest interval between two ticks run by input entities' changes: a Bluetooth meter
reports every few seconds, and a reaction within this much more is as good as at once."""

TICK_LOCKS: HassKey[dict[str, asyncio.Lock]] = HassKey(f"{DOMAIN}_tick_locks")

type SwitchBotAutomationConfigEntry = ConfigEntry[SwitchBotAutomationCoordinator]
type Operation = Callable[[Settings, datetime, tzinfo], Awaitable[TickResult]]
"""A tick or the quick off, given the settings, the time and the windows' time zone."""


@dataclass(frozen=True, slots=True)
class AutomationData:
    """What the entities show after a tick.

    ``state`` is the engine state the tick left; ``poll`` the interval and mode it chose;
    ``next_tick`` when the next scheduled tick runs (None while polling is disabled);
    ``api_calls_today`` the calls counted on the UTC day the tick ended (the live counter in
    ``state.quota`` keeps counting afterwards, this value does not); ``reading_stale``
    whether the last good reading is older than the reading-age limit.
    """

    state: AutomationState
    poll: PollDecision
    next_tick: datetime | None
    api_calls_today: int
    reading_stale: bool = False


def _devices_of(settings: Settings) -> tuple[str, ...]:
    """Return the configured thermometer and air conditioner, and the entities watched."""
    return settings.meter_device_id, settings.aircon_device_id, *watched_entities(settings)


def entry_tick_lock(hass: HomeAssistant, entry_id: str) -> asyncio.Lock:
    """Return the lock of the entry's ticks, the same for every coordinator of the entry."""
    return hass.data.setdefault(TICK_LOCKS, {}).setdefault(entry_id, asyncio.Lock())


def _keep_ticking() -> None:
    """Listen to the coordinator without doing anything (see ``async_keep_ticking``)."""


class SwitchBotAutomationCoordinator(DataUpdateCoordinator[AutomationData]):
    """Runs the ticks of one config entry and holds what they found."""

    config_entry: SwitchBotAutomationConfigEntry

    def __init__(self, hass: HomeAssistant, entry: SwitchBotAutomationConfigEntry) -> None:
        """Read the options; the stored state and the devices are read at the first refresh.

        Credentials missing from the entry (edited by hand) start re-authentication.
        """
        if not all(isinstance(entry.data.get(key), str) for key in (CONF_TOKEN, CONF_SECRET)):
            raise ConfigEntryAuthFailed(translation_domain=DOMAIN, translation_key="auth_failed")
        self._warn = WarnOnce(_LOGGER.warning)
        self.settings = settings_from_options(entry.options, warn=self._warn)
        self._applied_options = dict(entry.options)
        self._applied_data = dict(entry.data)
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=DOMAIN,
            # Replaced by the engine's interval after every tick.
            update_interval=timedelta(seconds=self.settings.poll_interval_seconds),
        )
        self.devices: DeviceList | None = None
        self.state = AutomationState()
        self._store = AutomationStateStore(hass, entry.entry_id)
        self._zones = TimezoneResolver()
        self._tick_lock = entry_tick_lock(hass, entry.entry_id)
        self._stopped = False
        self._interval_seconds = self.settings.poll_interval_seconds
        self._quota_low_warned_on: date | None = None
        # Changes of the input entities seen, and how many the running tick had seen.
        self._input_changes = 0
        self._input_changes_read = 0
        self._input_ticks = Debouncer(
            hass,
            _LOGGER,
            cooldown=INPUT_TICK_COOLDOWN_SECONDS,
            immediate=True,
            function=self._async_tick_on_change,
        )
        # Last: should it fail (credentials missing from a hand-edited entry), the unload
        # that ``super().__init__`` registered finds everything ``async_shutdown`` uses.
        self.cloud = CloudAdapter(create_client(hass, entry.data, on_request=self._count_call))

    # Set-up.

    async def _async_setup(self) -> None:
        """Read the stored state, the time zone and the account's devices (one call).

        An unreachable cloud fails the set-up (``ConfigEntryNotReady``, retried). A refused
        token starts re-authentication but the entry loads and ticks on slowly, as when the
        cloud refuses it later (``_back_off_after_auth_failure``): pending OFF repeats must
        not wait for the user.
        """
        async with self._tick_lock:  # the previous coordinator's last tick ends first
            self.state = await self._store.async_load(self._warn)
        await self._async_load_time_zone(self.settings)
        try:
            await self._async_fetch_devices()
        except CloudAuthError:
            self.config_entry.async_start_reauth(self.hass)
        except CloudError as err:
            raise UpdateFailed(translation_domain=DOMAIN, translation_key="cannot_connect") from err

    async def _async_fetch_devices(self) -> None:
        """Read the account's device list, unless the daily quota is known to be exhausted.

        The quota running out here is recorded like in a tick; the list then stays unknown
        and is read at a later tick.
        """
        now = dt_util.utcnow()
        if self.state.quota.is_exhausted(now):
            return
        try:
            self.devices = await self.cloud.async_list_devices()
        except CloudQuotaError:
            self.state.quota.mark_exhausted(now)

    @callback
    def async_sync_devices(self) -> None:
        """Bring the device registry and the ``device_missing`` issues up to date."""
        async_sync_devices(self.hass, self.config_entry, self.settings, self.devices)

    @callback
    def async_keep_ticking(self) -> CALLBACK_TYPE:
        """Register a listener for the entry's lifetime; return its removal.

        ``DataUpdateCoordinator`` schedules refreshes only while something listens to it,
        and entities are its only other listeners: when the user disables every entity of the
        entry the ticks, and so the automation, would stop. This listener keeps them going.
        """
        return self.async_add_listener(_keep_ticking)

    @callback
    def async_finish_on_stop(self) -> CALLBACK_TYPE:
        """Make Home Assistant's stop end the ticks as an unload does; return the undo.

        A shutdown job runs, and is waited for, before the stop cancels what still runs:
        ``async_shutdown`` stops the ticks, lets the one in progress end and saves the state.
        """
        return self.hass.async_add_shutdown_job(HassJob(self.async_shutdown, f"{DOMAIN} stop"))

    @callback
    def async_watch_inputs(self) -> CALLBACK_TYPE:
        """Run a tick when an input entity changes (debounced); return the undo."""
        return async_track_inputs(self.hass, self.settings, self._async_input_changed)

    @callback
    def _async_input_changed(self) -> None:
        """Count an input's change and ask the debouncer for a tick."""
        self._input_changes += 1
        self._input_ticks.async_schedule_call()

    async def _async_tick_on_change(self) -> None:
        """Run the tick of an input's change, unless polling is disabled or the budget spent.

        These ticks stand in for scheduled ones: Home Assistant's "Enable polling for
        updates" turned off stops them too. Such a tick calls the cloud only for a command,
        or for the meter standing in for an unavailable entity: the day's call budget still
        holds, the scheduled ticks going on. Failures are reported as those of any tick.
        """
        if self.config_entry.pref_disable_polling or budget_spent(
            self.settings, self.state, dt_util.utcnow()
        ):
            return
        # Reported by async_run_tick; refused when the entry stopped while it waited.
        with suppress(CloudAuthError, TickFailedError, ServiceValidationError):
            await self.async_run_tick(Trigger.STATE_CHANGE)

    def device_info(self, role: DeviceRole) -> DeviceInfo:
        """Return the device an entity of ``role`` links to."""
        return device_link(self.config_entry.entry_id, self.settings, role)

    # Options.

    async def async_entry_updated(self) -> None:
        """Apply a change of the entry (the update listener).

        New credentials (reauthentication, reconfiguration), other devices or other watched
        entities reload the entry: the client, the device list, the entities' devices and
        the state listeners all depend on them.
        Other option changes take effect at once without a reload: new settings and time
        zone, then a tick. A change of anything else (the title) needs nothing.
        """
        entry = self.config_entry
        settings = settings_from_options(entry.options, warn=self._warn)
        if entry.data != self._applied_data or _devices_of(settings) != _devices_of(self.settings):
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
            return
        if entry.options == self._applied_options:
            return
        await self._async_apply_options(entry.options)
        # The switch and the select show the new value without waiting for the tick.
        self.async_update_listeners()
        # Reported by async_run_tick; a spent budget leaves the change to the next tick.
        with suppress(CloudAuthError, TickFailedError, ServiceValidationError):
            await self.async_run_tick()

    async def _async_apply_options(self, options: Mapping[str, Any]) -> None:
        """Use ``options`` from now on (the time zone is loaded first, off the event loop)."""
        settings = settings_from_options(options, warn=self._warn)
        await self._async_load_time_zone(settings)
        self.settings = settings
        self._applied_options = dict(options)

    @callback
    def async_set_option(self, key: str, value: Any) -> None:
        """Store one option; the update listener then applies it and runs a tick."""
        self.async_set_options({key: value})

    @callback
    def async_set_options(self, changes: Mapping[str, Any]) -> None:
        """Store several options in one update; the update listener applies them and runs a tick.

        One tick for all of them, and none when they are the stored values already.
        """
        self.hass.config_entries.async_update_entry(
            self.config_entry, options={**self.config_entry.options, **changes}
        )

    async def _async_load_time_zone(self, settings: Settings) -> None:
        """Load the ``timezone`` option's zone in the executor; report an invalid name."""
        name = settings.timezone
        if self._zones.needs_loading(name):
            await self.hass.async_add_executor_job(self._zones.load, name)
        async_set_issue(
            self.hass,
            self.config_entry,
            ISSUE_INVALID_TIMEZONE,
            active=self._zones.is_invalid(name),
            placeholders={"timezone": name},
        )

    def time_zone(self, settings: Settings) -> tzinfo:
        """Return the zone windows are read in: the option's, else Home Assistant's."""
        return self._zones.resolve(settings.timezone, dt_util.get_default_time_zone())

    # Ticks.

    async def _async_update_data(self) -> AutomationData:
        """Run a scheduled tick (the first one at set-up).

        A tick that raised unexpectedly is logged and reported as ``UpdateFailed``: the
        entities become unavailable and the next tick still runs at the current interval.
        """
        if self._tick_lock.locked() and self.data is not None:
            # A manual tick is running: it publishes and reschedules when it ends, so this
            # scheduled tick, due at the same time, would only duplicate it.
            async with self._tick_lock:
                return self.data
        try:
            _result, data = await self._async_exclusive(self._tick_operation(Trigger.SCHEDULER))
        except CloudAuthError as err:
            self._back_off_after_auth_failure()
            if self.config_entry.state is ConfigEntryState.SETUP_IN_PROGRESS:
                # Set-up goes on: the entities show the stored state meanwhile.
                return self._data(self.settings, dt_util.utcnow())
            raise UpdateFailed(translation_domain=DOMAIN, translation_key="auth_failed") from err
        except TickFailedError as err:
            raise UpdateFailed(translation_domain=DOMAIN, translation_key="tick_failed") from err
        return data

    def _back_off_after_auth_failure(self) -> None:
        """Start re-authentication, and tick at most every ``AUTH_RETRY_SECONDS`` meanwhile.

        ``ConfigEntryAuthFailed`` would stop the ticks until the user re-authenticates, and
        with them the OFF repeats and the OFF at the end of a window: a refusal that clears
        up by itself (the cloud has answered 401 for a reached quota, and transiently) would
        leave the AC running. The ticks go on, slowly, and resume their interval once one
        succeeds; the re-authentication flow is started once (Home Assistant does not start
        a second one while it is in progress).
        """
        self.config_entry.async_start_reauth(self.hass)
        seconds = max(AUTH_RETRY_SECONDS, self._interval_seconds)
        if seconds != self._interval_seconds:
            _LOGGER.info(
                "SwitchBot Cloud refused the credentials: next tick in %s seconds", seconds
            )
            self._interval_seconds = seconds
            self.update_interval = timedelta(seconds=seconds)

    async def async_run_tick(self, trigger: Trigger = Trigger.MANUAL) -> TickResult:
        """Run a tick now, after the one in progress if any, and reschedule from its end.

        A manual tick counts against ``daily_call_budget``: once the day's budget is spent
        it is refused (``ServiceValidationError``), so that a looping automation cannot
        spend the account's quota. Raises ``CloudAuthError`` (re-authentication is started)
        and ``TickFailedError`` (already logged).
        """
        if trigger is Trigger.MANUAL and budget_spent(self.settings, self.state, dt_util.utcnow()):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="budget_spent",
                translation_placeholders={"budget": str(self.settings.daily_call_budget)},
            )
        return await self._async_run_now(self._tick_operation(trigger))

    async def async_forget_assumed_power(self) -> None:
        """Forget the unit's assumed power, mode and setting: the next decision is sent.

        For when the unit was switched with its own remote: ``already_on``/``already_off``
        would otherwise hold until the unit's real state and the assumption meet again.
        The commands a power entity saw not taken are forgotten too: they are tried again.
        """
        async with self._tick_lock:
            self.state = replace(
                self.state,
                assumed_power=None,
                assumed_mode=None,
                assumed_parameter=None,
                power_check_at=None,
                commands_not_taken=0,
            )
            await self._store.async_save(self.state)
            poll = self.data.poll if self.data is not None else None
            self.async_set_updated_data(self._data(self.settings, dt_util.utcnow(), poll))

    async def async_quick_off(self) -> TickResult:
        """Disable the automation and send OFF (off scene or ``turnOff``) with its repeats.

        The options are applied before they are stored, so the update listener has nothing
        left to do: no tick runs after the quick off to overwrite its outcome. Raises like
        ``async_run_tick``.
        """
        options = {**self.config_entry.options, "automation_enabled": False}
        await self._async_apply_options(options)
        self.hass.config_entries.async_update_entry(self.config_entry, options=options)

        async def quick_off(settings: Settings, now: datetime, _tz: tzinfo) -> TickResult:
            return await run_quick_off(
                settings, self.state, now, self.cloud, checkpoint=self._store.async_save
            )

        return await self._async_run_now(quick_off)

    async def _async_run_now(self, operation: Operation) -> TickResult:
        """Run ``operation`` exclusively now, then publish its data."""
        try:
            result, data = await self._async_exclusive(operation)
        except CloudAuthError:
            self.config_entry.async_start_reauth(self.hass)
            raise
        self.async_set_updated_data(data)
        return result

    def _tick_operation(self, trigger: Trigger) -> Operation:
        """Return a tick, reading the device list first if set-up could not."""

        async def tick(settings: Settings, now: datetime, tz: tzinfo) -> TickResult:
            if self.devices is None:
                await self._async_retry_devices()
            aircon = self.devices.find(settings.aircon_device_id) if self.devices else None
            return await run_tick(
                settings,
                self.state,
                now,
                self.cloud,
                tz,
                trigger=trigger,
                # A physical device (e.g. a plug) driving the AC reports its power.
                aircon_has_status=isinstance(aircon, Device),
                checkpoint=self._store.async_save,
                inputs=self._read_inputs(settings),
            )

        return tick

    def _read_inputs(self, settings: Settings) -> EntityInputs:
        """Read the input entities for a tick, noting which of their changes it sees."""
        self._input_changes_read = self._input_changes
        return read_inputs(self.hass, settings)

    async def _async_retry_devices(self) -> None:
        """Read the device list that set-up could not read; a failure waits for a later tick."""
        try:
            await self._async_fetch_devices()
        except CloudAuthError:
            raise
        except CloudError as err:
            _LOGGER.debug("Device list still unavailable: %s", err)
            return
        if self.devices is not None:
            self.async_sync_devices()

    async def _async_exclusive(self, operation: Operation) -> tuple[TickResult, AutomationData]:
        """Run ``operation`` under the tick lock, to its end even if the caller is cancelled."""

        async def run() -> tuple[TickResult, AutomationData]:
            async with self._tick_lock:
                if self._stopped:
                    raise ServiceValidationError(
                        translation_domain=DOMAIN,
                        translation_key="entry_not_loaded",
                        translation_placeholders={"entry_title": self.config_entry.title},
                    )
                settings = self.settings
                tz = self.time_zone(settings)
                try:
                    result = await operation(settings, dt_util.utcnow(), tz)
                    return result, await self._async_record(result, settings, tz)
                except CloudAuthError:
                    raise
                except Exception as err:
                    _LOGGER.exception(TICK_FAILED_MESSAGE)
                    raise TickFailedError from err

        task = self.config_entry.async_create_task(self.hass, run(), f"{DOMAIN} tick")
        return await asyncio.shield(task)

    async def _async_record(
        self, result: TickResult, settings: Settings, tz: tzinfo
    ) -> AutomationData:
        """Keep the new state, announce and persist it, and choose the next interval."""
        self.state = result.state
        for action in result.actions:
            self.hass.bus.async_fire(
                EVENT_COMMAND,
                {"config_entry_id": self.config_entry.entry_id, **action.as_event_data()},
            )
        await self._store.async_save_if_due(self.state)
        now = dt_util.utcnow()
        self._report_quota(settings, now)
        self._report_failures(settings, now)
        poll = compute_interval(settings, self.state, now, tz, read_inputs(self.hass, settings))
        if self._input_changes != self._input_changes_read:
            # An input changed during the tick, unseen by it: the next tick comes soon.
            poll = replace(poll, seconds=min(poll.seconds, INPUT_TICK_COOLDOWN_SECONDS))
        if poll.seconds != self._interval_seconds:
            _LOGGER.info(
                "Adaptive polling reschedule: %s -> %s seconds (mode=%s)",
                self._interval_seconds,
                poll.seconds,
                poll.mode,
            )
            self._interval_seconds = poll.seconds
            self.update_interval = timedelta(seconds=poll.seconds)
        return self._data(settings, now, poll)

    def _data(
        self, settings: Settings, now: datetime, poll: PollDecision | None = None
    ) -> AutomationData:
        """Return what the entities show of the current state at ``now``."""
        if poll is None:
            poll = PollDecision(
                self._interval_seconds,
                compute_interval(
                    settings,
                    self.state,
                    now,
                    self.time_zone(settings),
                    read_inputs(self.hass, settings),
                ).mode,
            )
        next_tick = now + timedelta(seconds=poll.seconds)
        return AutomationData(
            state=self.state,
            poll=poll,
            next_tick=None if self.config_entry.pref_disable_polling else next_tick,
            api_calls_today=self.state.quota.calls_today(now),
            reading_stale=reading_is_stale(settings, self.state, now),
        )

    def _report_failures(self, settings: Settings, now: datetime) -> None:
        """Raise or clear the repairs of a blind regulation and of commands that keep failing."""
        async_set_issue(
            self.hass,
            self.config_entry,
            ISSUE_STALE_READING,
            active=bool(self.state.in_window)
            and settings.automation_enabled
            and reading_is_stale(settings, self.state, now),
            placeholders={"minutes": str(settings.max_reading_age_minutes)},
        )
        async_set_issue(
            self.hass,
            self.config_entry,
            ISSUE_COMMAND_FAILING,
            active=self.state.command_failures >= COMMAND_FAILURES_REPORTED,
            placeholders={"failures": str(self.state.command_failures)},
        )
        async_set_issue(
            self.hass,
            self.config_entry,
            ISSUE_COMMAND_NOT_TAKEN,
            active=commands_held(settings, self.state),
            placeholders={
                "commands": str(self.state.commands_not_taken),
                "power_entity": settings.power_entity_id,
            },
        )

    def _report_quota(self, settings: Settings, now: datetime) -> None:
        """Raise or clear the quota repair issue; warn once a day when the quota runs low."""
        quota = self.state.quota
        exhausted_until = quota.exhausted_until if quota.is_exhausted(now) else None
        async_set_issue(
            self.hass,
            self.config_entry,
            ISSUE_QUOTA_EXHAUSTED,
            active=exhausted_until is not None,
            placeholders={"reset_at": exhausted_until.isoformat() if exhausted_until else ""},
        )
        today = now.date()
        if (
            exhausted_until is None
            and quota.is_low(settings.api_quota_warning_threshold, now)
            and self._quota_low_warned_on != today
        ):
            self._quota_low_warned_on = today
            _LOGGER.warning(
                "SwitchBot API quota running low: about %s calls left today (UTC), warning "
                "threshold %s",
                quota.remaining(now),
                settings.api_quota_warning_threshold,
            )

    def _count_call(self, _method: str, _path: str) -> None:
        """Count one request against the daily quota (the client's ``on_request`` hook)."""
        self.state.quota.record_call(dt_util.utcnow())

    async def async_shutdown(self) -> None:
        """Stop the ticks, then save the state (the entry unloads)."""
        self._stopped = True
        self._input_ticks.async_shutdown()
        await super().async_shutdown()
        async with self._tick_lock:
            await self._store.async_save(self.state)
