"""The SwitchBot account of a config entry: what its rooms share.

The daily quota belongs to the account, so its rooms (config subentries, each ticked by a
``RoomCoordinator``) share one client, one device list, one call counter and one
``daily_call_budget``: the counter is the ``quota`` of every room's state (the same object),
and each room schedules its ticks knowing what the others ask of the budget (``demands``,
``engine.sharing``). The rooms also share one tick lock: no two ticks of an account talk to
the cloud at once.

This coordinator does not poll: its data (the calls today, the quota's state) is published
by the rooms' ticks, for the account's own entities.
"""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
import logging
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_TOKEN
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .account import create_client
from .cloud import DeviceList
from .cloud_adapter import CloudAdapter
from .const import CONF_SECRET, DOMAIN
from .devices import async_sync_devices
from .engine import (
    CloudAuthError,
    CloudError,
    CloudQuotaError,
    PollingMode,
    QuotaCounter,
    RoomDemand,
    WarnOnce,
    settings_from_options,
)
from .issues import ISSUE_QUOTA_EXHAUSTED, async_set_issue
from .tick_lock import entry_tick_lock

if TYPE_CHECKING:
    from .coordinator import RoomCoordinator

_LOGGER = logging.getLogger(__name__)


class QuotaState(StrEnum):
    """How the account's daily calls stand: the states of the ``quota_state`` sensor."""

    OK = "ok"
    LOW = "low"
    BUDGET_LIMITED = "budget_limited"
    EXHAUSTED = "exhausted"


@dataclass(frozen=True, slots=True)
class AccountData:
    """What the account's entities show: the calls counted today (UTC) and their state."""

    api_calls_today: int
    quota_state: QuotaState


type SwitchBotAutomationConfigEntry = ConfigEntry[AccountCoordinator]


class AccountCoordinator(DataUpdateCoordinator[AccountData]):
    """Holds what the rooms of one SwitchBot account share; publishes the account's data."""

    config_entry: SwitchBotAutomationConfigEntry

    def __init__(self, hass: HomeAssistant, entry: SwitchBotAutomationConfigEntry) -> None:
        """Build the client; the devices are read at the first refresh.

        Credentials missing from the entry (edited by hand) start re-authentication.
        """
        if not all(isinstance(entry.data.get(key), str) for key in (CONF_TOKEN, CONF_SECRET)):
            raise ConfigEntryAuthFailed(translation_domain=DOMAIN, translation_key="auth_failed")
        super().__init__(hass, _LOGGER, config_entry=entry, name=f"{DOMAIN} account")
        self.warn = WarnOnce(_LOGGER.warning)
        self.settings = settings_from_options(entry.options, warn=self.warn)
        self.quota = QuotaCounter()
        self.devices: DeviceList | None = None
        self.rooms: dict[str, RoomCoordinator] = {}
        self.demands: dict[str, RoomDemand] = {}
        self.tick_lock = entry_tick_lock(hass, entry.entry_id)
        self.applied_data = dict(entry.data)
        self._quota_low_warned_on: date | None = None
        self.cloud = CloudAdapter(create_client(hass, entry.data, on_request=self._count_call))

    async def _async_setup(self) -> None:
        """Read the rooms' stored states, then the account's devices (one call).

        The states come first: the call counter they share is in them, and an exhausted
        quota means no call. An unreachable cloud fails the set-up (``ConfigEntryNotReady``,
        retried). A refused token starts re-authentication, but the entry loads and its
        rooms tick on slowly: pending OFF repeats must not wait for the user.
        """
        for room in self.rooms.values():
            await room.async_load_state()
        try:
            await self.async_fetch_devices()
        except CloudAuthError:
            self.config_entry.async_start_reauth(self.hass)
        except CloudError as err:
            raise UpdateFailed(translation_domain=DOMAIN, translation_key="cannot_connect") from err

    async def _async_update_data(self) -> AccountData:
        """Return the account's data now (the first refresh; the rooms publish the rest)."""
        return self.account_data(dt_util.utcnow())

    async def async_fetch_devices(self) -> None:
        """Read the account's device list, unless the daily quota is known to be exhausted.

        The quota running out here is recorded like in a tick; the list then stays unknown
        and is read at a later tick.
        """
        now = dt_util.utcnow()
        if self.quota.is_exhausted(now):
            return
        try:
            self.devices = await self.cloud.async_list_devices()
        except CloudQuotaError:
            self.quota.mark_exhausted(now)

    async def async_retry_devices(self) -> None:
        """Read the device list that set-up could not read; a failure waits for a later tick.

        Raises ``CloudAuthError``.
        """
        try:
            await self.async_fetch_devices()
        except CloudAuthError:
            raise
        except CloudError as err:
            _LOGGER.debug("Device list still unavailable: %s", err)
            return
        if self.devices is not None:
            self.async_sync_devices()

    @callback
    def async_sync_devices(self) -> None:
        """Bring the device registry and the ``device_missing`` issues up to date."""
        async_sync_devices(
            self.hass,
            self.config_entry,
            [(room.subentry, room.settings) for room in self.rooms.values()],
            self.devices,
        )

    @callback
    def async_apply_options(self) -> None:
        """Use the entry's options (the account's budget and quota warning) from now on."""
        self.settings = settings_from_options(self.config_entry.options, warn=self.warn)

    def other_demands(self, room_id: str) -> list[RoomDemand]:
        """Return what the account's other rooms ask of the daily budget."""
        return [demand for other, demand in self.demands.items() if other != room_id]

    def account_data(self, now: datetime, *, budget_limited: bool = False) -> AccountData:
        """Return the account's data at ``now``."""
        quota = self.quota
        if quota.is_exhausted(now):
            state = QuotaState.EXHAUSTED
        elif budget_limited:
            state = QuotaState.BUDGET_LIMITED
        elif quota.is_low(self.settings.api_quota_warning_threshold, now):
            state = QuotaState.LOW
        else:
            state = QuotaState.OK
        return AccountData(api_calls_today=quota.calls_today(now), quota_state=state)

    @callback
    def async_room_ticked(self, room_id: str, demand: RoomDemand, *, budget_limited: bool) -> None:
        """Record a room's new demand, report the quota, and publish the account's data."""
        self.demands[room_id] = demand
        now = dt_util.utcnow()
        self._report_quota(now)
        limited = budget_limited or any(
            room.data is not None and room.data.poll.mode is PollingMode.BUDGET_LIMITED
            for other, room in self.rooms.items()
            if other != room_id
        )
        self.async_set_updated_data(self.account_data(now, budget_limited=limited))

    def _report_quota(self, now: datetime) -> None:
        """Raise or clear the quota repair issue; warn once a day when the quota runs low."""
        quota = self.quota
        exhausted_until = quota.exhausted_until if quota.is_exhausted(now) else None
        async_set_issue(
            self.hass,
            self.config_entry,
            ISSUE_QUOTA_EXHAUSTED,
            active=exhausted_until is not None,
            placeholders={"reset_at": exhausted_until.isoformat() if exhausted_until else ""},
        )
        threshold = self.settings.api_quota_warning_threshold
        today = now.date()
        if (
            exhausted_until is None
            and quota.is_low(threshold, now)
            and self._quota_low_warned_on != today
        ):
            self._quota_low_warned_on = today
            _LOGGER.warning(
                "SwitchBot API quota running low: about %s calls left today (UTC), warning "
                "threshold %s",
                quota.remaining(now),
                threshold,
            )

    def _count_call(self, _method: str, _path: str) -> None:
        """Count one request against the daily quota (the client's ``on_request`` hook)."""
        self.quota.record_call(dt_util.utcnow())
