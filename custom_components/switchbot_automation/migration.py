"""Upgrading a config entry stored by an earlier release.

Version 1 was one room per SwitchBot account: the entry's options held every setting.
Version 2 is the account, its rooms as config subentries. A version 1 entry becomes the
account with one room, whose subentry id is the entry's id: everything keyed by that id
(the entities' unique ids, the automation's device, the stored automation state, the repair
issues) stays as it was, so entity ids, history, the pending OFF repeats and the assumed
power carry over. The room's entities and devices are moved to its subentry; the account's
own entities (the calls today) stay on the entry, and move to the account's device when it
sets up.
"""

from types import MappingProxyType
from typing import Final

from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .const import SUBENTRY_ROOM
from .engine import account_options, room_options

CURRENT_VERSION: Final = 2
MIGRATED_ROOM_TITLE: Final = "SwitchBot Automation"
"""The name of the room made from a version 1 entry: its automation device's name then."""
ACCOUNT_ENTITY_KEYS: Final = frozenset({"api_calls_today"})
"""Entities of a version 1 entry that now belong to the account, not to its room."""


async def async_migrate_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Upgrade ``entry`` to the current version; refuse an entry of a later release."""
    if entry.version > CURRENT_VERSION:
        return False
    # Home Assistant migrates only an entry older than the config flow's version: 1.
    _split_into_account_and_room(hass, entry)
    return True


def _split_into_account_and_room(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Make a version 1 entry the account of one room (see the module's docstring)."""
    room_id = entry.entry_id
    hass.config_entries.async_add_subentry(
        entry,
        ConfigSubentry(
            data=MappingProxyType(room_options(entry.options)),
            subentry_type=SUBENTRY_ROOM,
            title=MIGRATED_ROOM_TITLE,
            unique_id=entry.options.get("aircon_device_id") or None,
            subentry_id=room_id,
        ),
    )
    entities = er.async_get(hass)
    for entity in er.async_entries_for_config_entry(entities, entry.entry_id):
        if entity.unique_id.removeprefix(f"{room_id}_") not in ACCOUNT_ENTITY_KEYS:
            entities.async_update_entity(entity.entity_id, config_subentry_id=room_id)
        else:
            # Off the device that becomes the room's: an entity of the entry itself left on
            # a device of a subentry only is removed with it (Home Assistant 2025.4). It
            # finds the account's device when the entry sets up.
            entities.async_update_entity(entity.entity_id, device_id=None)
    devices = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(devices, entry.entry_id):
        devices.async_update_device(
            device.id, add_config_entry_id=entry.entry_id, add_config_subentry_id=room_id
        )
        devices.async_update_device(
            device.id, remove_config_entry_id=entry.entry_id, remove_config_subentry_id=None
        )
    hass.config_entries.async_update_entry(
        entry, version=CURRENT_VERSION, options=account_options(entry.options)
    )
