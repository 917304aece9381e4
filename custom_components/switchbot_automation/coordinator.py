"""The tick loop of one room: Home Assistant's side of the automation engine.

A room is a config subentry of the account's entry: its thermometer, its air conditioner and
every option but the account's (``engine.room_options``). What the rooms of an account
share (client, device list, call counter, budget, tick lock) is the account's
(``account_coordinator``).

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

Ticks never overlap, in a room nor across the account's rooms: the account's lock covers
every tick and quick off. A tick also runs to its
end when Home Assistant stops or the entry unloads in the middle of it, so a command sent is
always recorded and saved: it runs in a task of the entry, shielded from the cancellation
of the scheduled refresh, and Home Assistant's stop waits for it (``async_finish_on_stop``:
a stop does not wait for tasks already running, and cancels them at its end).

The lock belongs to the entry, not to a coordinator (``tick_lock``), and a stopped
coordinator runs no tick that was still waiting for it. A room removed from the entry
deletes its stored state and its repair issues when it stops, instead of saving.
"""

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
import logging
from typing import Any, Final

from homeassistant.config_entries import ConfigEntryState, ConfigSubentry
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .account_coordinator import AccountCoordinator, SwitchBotAutomationConfigEntry
from .cloud import Device
from .const import DOMAIN
from .devices import DeviceRole, device_link
from .engine import (
    AutomationState,
    CloudAuthError,
    EntityInputs,
    PollDecision,
    PollingMode,
    Settings,
    TickResult,
    TimezoneResolver,
    Trigger,
    account_options,
    budget_spent,
    commands_held,
    compute_interval,
    plan_interval,
    reading_is_stale,
    room_options,
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
    ISSUE_STALE_READING,
    async_delete_owner_issues,
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


def room_settings_options(
    entry: SwitchBotAutomationConfigEntry, subentry: ConfigSubentry
) -> dict[str, Any]:
    """Return a room's options as the engine reads them: its own and the account's."""
    return {**subentry.data, **account_options(entry.options)}


def _keep_ticking() -> None:
    """Listen to the coordinator without doing anything (see ``async_keep_ticking``)."""


class RoomCoordinator(DataUpdateCoordinator[AutomationData]):
    """Runs the ticks of one room and holds what they found."""

    config_entry: SwitchBotAutomationConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SwitchBotAutomationConfigEntry,
        subentry: ConfigSubentry,
        account: AccountCoordinator,
    ) -> None:
        """Read the options; the stored state is read when the account sets up."""
        self.account = account
        self.subentry = subentry
        self.room_id = subentry.subentry_id
        self._applied_title = subentry.title
        self._warn = account.warn
        options = room_settings_options(entry, subentry)
        self.settings = settings_from_options(options, warn=self._warn)
        self._applied_options = options
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {subentry.title}",
            # Replaced by the engine's interval after every tick.
            update_interval=timedelta(seconds=self.settings.poll_interval_seconds),
        )
        self.state = AutomationState(quota=account.quota)
        self.cloud = account.cloud
        self._store = AutomationStateStore(hass, self.room_id)
        self._zones = TimezoneResolver()
        self._tick_lock = account.tick_lock
        # Held from when this room's tick or quick off asks for the account's lock to its end.
        self._room_lock = asyncio.Lock()
        self._stopped = False
        self._interval_seconds = self.settings.poll_interval_seconds
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

    # Set-up.

    async def async_load_state(self) -> None:
        """Read the stored state; its copy of the account's call counter joins the account's.

        Under the tick lock: the previous coordinator's last tick ends, and is saved, first.
        """
        async with self._tick_lock:
            stored = await self._store.async_load(self._warn)
        self.account.quota.adopt(stored.quota)
        self.state = replace(stored, quota=self.account.quota)

    async def _async_setup(self) -> None:
        """Load the windows' time zone (the state and the devices are the account's set-up)."""
        await self._async_load_time_zone(self.settings)

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
        return device_link(self.room_id, self.settings, role)

    # Options.

    def needs_reload(self, subentry: ConfigSubentry) -> bool:
        """Whether the room's new ``subentry`` changes its name, devices or watched entities.

        The devices (the room's is named after it), the entities' devices and the state
        listeners depend on them: the entry reloads.
        """
        settings = settings_from_options(
            room_settings_options(self.config_entry, subentry), warn=self._warn
        )
        # Home Assistant updates the subentry in place: compare with the title set up with.
        return subentry.title != self._applied_title or _devices_of(settings) != _devices_of(
            self.settings
        )

    async def async_entry_updated(self, subentry: ConfigSubentry) -> None:
        """Apply a change of the entry or of the room's subentry (the update listener).

        Option changes take effect at once without a reload: new settings and time zone,
        then a tick when the room's own options changed (a change of the account's budget
        only reschedules, at the next tick). A change of anything else (a title) needs
        nothing.
        """
        self.subentry = subentry
        options = room_settings_options(self.config_entry, subentry)
        if options == self._applied_options:
            return
        room_changed = room_options(options) != room_options(self._applied_options)
        await self._async_apply_options(options)
        # The switch and the select show the new value without waiting for the tick.
        self.async_update_listeners()
        if not room_changed:
            return
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
        """Store one of the room's options; the update listener applies it and runs a tick."""
        self.async_set_options({key: value})

    @callback
    def async_set_options(self, changes: Mapping[str, Any]) -> None:
        """Store several of the room's options in one update; the listener applies them.

        One tick for all of them, and none when they are the stored values already.
        """
        self.hass.config_entries.async_update_subentry(
            self.config_entry, self.subentry, data={**self.subentry.data, **changes}
        )

    async def _async_load_time_zone(self, settings: Settings) -> None:
        """Load the ``timezone`` option's zone in the executor; report an invalid name."""
        name = settings.timezone
        if self._zones.needs_loading(name):
            await self.hass.async_add_executor_job(self._zones.load, name)
        async_set_issue(
            self.hass,
            self.subentry,
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
        if self._room_lock.locked() and self.data is not None:
            # A manual tick of this room is running or waiting: it publishes and reschedules
            # when it ends, so this scheduled tick, due at the same time, would only duplicate
            # it. (Another room's tick is waited for: this one may have something to do.)
            async with self._room_lock:
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
        options = {**self._applied_options, "automation_enabled": False}
        await self._async_apply_options(options)
        self.async_set_options({"automation_enabled": False})

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
            devices = self.account.devices
            if devices is None:
                await self.account.async_retry_devices()
                devices = self.account.devices
            aircon = devices.find(settings.aircon_device_id) if devices else None
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

    async def _async_exclusive(self, operation: Operation) -> tuple[TickResult, AutomationData]:
        """Run ``operation`` under the room and account locks, to its end even if cancelled."""

        async def run() -> tuple[TickResult, AutomationData]:
            async with self._room_lock, self._tick_lock:
                if self._stopped:
                    raise ServiceValidationError(
                        translation_domain=DOMAIN,
                        translation_key="entry_not_loaded",
                        translation_placeholders={"entry_title": self.subentry.title},
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
                {
                    "config_entry_id": self.config_entry.entry_id,
                    "room_id": self.room_id,
                    **action.as_event_data(),
                },
            )
        await self._store.async_save_if_due(self.state)
        now = dt_util.utcnow()
        self._report_failures(settings, now)
        inputs = read_inputs(self.hass, settings)
        poll, demand = plan_interval(
            settings, self.state, now, tz, inputs, others=self.account.other_demands(self.room_id)
        )
        self.account.async_room_ticked(
            self.room_id, demand, budget_limited=poll.mode is PollingMode.BUDGET_LIMITED
        )
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
                    others=self.account.other_demands(self.room_id),
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
            self.subentry,
            ISSUE_STALE_READING,
            active=bool(self.state.in_window)
            and settings.automation_enabled
            and reading_is_stale(settings, self.state, now),
            placeholders={"minutes": str(settings.max_reading_age_minutes)},
        )
        async_set_issue(
            self.hass,
            self.subentry,
            ISSUE_COMMAND_FAILING,
            active=self.state.command_failures >= COMMAND_FAILURES_REPORTED,
            placeholders={"failures": str(self.state.command_failures)},
        )
        async_set_issue(
            self.hass,
            self.subentry,
            ISSUE_COMMAND_NOT_TAKEN,
            active=commands_held(settings, self.state),
            placeholders={
                "commands": str(self.state.commands_not_taken),
                "power_entity": settings.power_entity_id,
            },
        )

    async def async_shutdown(self) -> None:
        """Stop the ticks, then save the state (the entry unloads).

        A room removed from the entry deletes its state and its repair issues instead.
        """
        self._stopped = True
        self._input_ticks.async_shutdown()
        await super().async_shutdown()
        async with self._tick_lock:
            if self.room_id in self.config_entry.subentries:
                await self._store.async_save(self.state)
                return
            await self._store.async_remove()
            async_delete_owner_issues(self.hass, self.room_id)
