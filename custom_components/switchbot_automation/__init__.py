"""SwitchBot Automation: keeps rooms between two temperatures through the SwitchBot Cloud.

A config entry is a SwitchBot account; each of its rooms is a config subentry
(``SUBENTRY_ROOM``) ticked by its own ``RoomCoordinator``, all sharing the account's client,
call counter, budget and tick lock (``AccountCoordinator``).
"""

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .account import rooms_of
from .account_coordinator import AccountCoordinator, SwitchBotAutomationConfigEntry
from .const import DOMAIN
from .coordinator import RoomCoordinator
from .issues import async_delete_owner_issues
from .migration import async_migrate_entry
from .services import async_setup_services
from .store import AutomationStateStore
from .tick_lock import TICK_LOCKS, entry_tick_lock

__all__ = ["async_migrate_entry"]

PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CLIMATE,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the services, once for every entry."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: SwitchBotAutomationConfigEntry) -> bool:
    """Read the account (stored states, devices), run each room's first tick, add entities."""
    account = AccountCoordinator(hass, entry)
    for subentry in rooms_of(entry):
        account.rooms[subentry.subentry_id] = RoomCoordinator(hass, entry, subentry, account)
    await account.async_config_entry_first_refresh()
    for room in account.rooms.values():
        await room.async_config_entry_first_refresh()
    account.async_sync_devices()
    entry.runtime_data = account
    for room in account.rooms.values():
        entry.async_on_unload(room.async_keep_ticking())
        entry.async_on_unload(room.async_finish_on_stop())
        entry.async_on_unload(room.async_watch_inputs())
    entry.async_on_unload(entry.add_update_listener(_async_entry_updated))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def _async_entry_updated(hass: HomeAssistant, entry: SwitchBotAutomationConfigEntry) -> None:
    """Apply a change of the entry or of a room.

    New credentials, a room added or removed, or a room's other devices or watched entities
    reload the entry: the client, the devices, the entities and the state listeners depend
    on them. Options (the account's or a room's) apply at once, without a reload.
    """
    account = entry.runtime_data
    rooms = {subentry.subentry_id: subentry for subentry in rooms_of(entry)}
    if (
        entry.data != account.applied_data
        or rooms.keys() != account.rooms.keys()
        or any(account.rooms[room_id].needs_reload(subentry) for room_id, subentry in rooms.items())
    ):
        hass.config_entries.async_schedule_reload(entry.entry_id)
        return
    account.async_apply_options()
    for room_id, subentry in rooms.items():
        await account.rooms[room_id].async_entry_updated(subentry)


async def async_unload_entry(hass: HomeAssistant, entry: SwitchBotAutomationConfigEntry) -> bool:
    """Remove the entities; the rooms then stop and save their states (on unload)."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: SwitchBotAutomationConfigEntry) -> None:
    """Delete the rooms' stored states and the repair issues of a removed entry.

    Once its last tick has ended, and been saved, should it have outlasted the unload.
    """
    async with entry_tick_lock(hass, entry.entry_id):
        for room_id in entry.subentries:
            await AutomationStateStore(hass, room_id).async_remove()
            async_delete_owner_issues(hass, room_id)
        async_delete_owner_issues(hass, entry.entry_id)
    hass.data[TICK_LOCKS].pop(entry.entry_id)
