"""The devices of a config entry in Home Assistant's device registry.

One service device stands for the account (its calls, its quota), and one for each room's
automation (named after the room); each room's thermometer and air conditioner get a device
each (named and typed as in the SwitchBot app), linked through the hub that relays them.
A room's devices belong to its config subentry, so removing the room removes them. They
are registered here, hub first, before any entity refers to them, so entities only link to
them by identifier. Devices of the entry that no room uses any more (another meter chosen
by a reconfigure) are removed.

A SwitchBot device with a radio (a meter, a hub) has its Bluetooth address as its cloud id
(``C0FFEE123456``): it is declared as the device's Bluetooth connection
(``C0:FF:EE:12:34:56``), so the registry merges it with the same device of Home Assistant's
own SwitchBot (Bluetooth) integration.
Infrared remotes have no address (their ids look like ``02-202401...``): no connection.
"""

from collections.abc import Sequence
from enum import StrEnum
import re
from typing import Final

from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import (
    CONNECTION_BLUETOOTH,
    DeviceEntryType,
    DeviceInfo,
    format_mac,
)

from .cloud import Device, DeviceList, InfraredRemote
from .const import DOMAIN
from .engine import Settings
from .issues import ISSUE_DEVICE_MISSING, async_set_issue

MANUFACTURER: Final = "SwitchBot"
ACCOUNT_DEVICE_SUFFIX: Final = "account"
_BLUETOOTH_ID: Final = re.compile(r"[0-9A-Fa-f]{12}")
"""A cloud id that is a Bluetooth address without its colons."""


class DeviceRole(StrEnum):
    """Which device an entity belongs to; the value is the option naming that device."""

    SERVICE = "service"
    METER = "meter_device_id"
    AIRCON = "aircon_device_id"


def configured_device_id(settings: Settings, role: DeviceRole) -> str:
    """Return the SwitchBot id configured for ``role`` ("" for none, or the service)."""
    if role is DeviceRole.METER:
        return settings.meter_device_id
    if role is DeviceRole.AIRCON:
        return settings.aircon_device_id
    return ""


def device_link(room_id: str, settings: Settings, role: DeviceRole) -> DeviceInfo:
    """Return the room's device an entity of ``role`` belongs to (its service, unconfigured)."""
    device_id = configured_device_id(settings, role) or room_id
    return DeviceInfo(identifiers={(DOMAIN, device_id)})


def account_device(entry: ConfigEntry) -> DeviceInfo:
    """Return the account's own device: where the account's entities are."""
    return DeviceInfo(
        identifiers={(DOMAIN, f"{entry.entry_id}_{ACCOUNT_DEVICE_SUFFIX}")},
        entry_type=DeviceEntryType.SERVICE,
        manufacturer=MANUFACTURER,
        name=entry.title,
    )


def bluetooth_connections(device_id: str) -> set[tuple[str, str]]:
    """Return the Bluetooth connection of a device whose cloud id is its address, if any.

    The address is written as Home Assistant's Bluetooth integration reports it, and core's
    SwitchBot registers it: upper case, with colons (``C0:FF:EE:12:34:56``). The registry
    compares Bluetooth connections as they are written (it only normalises network MACs).
    """
    if _BLUETOOTH_ID.fullmatch(device_id) is None:
        return set()
    return {(CONNECTION_BLUETOOTH, format_mac(device_id).upper())}


def _described(device: Device | InfraredRemote) -> DeviceInfo:
    """Return the registry fields the SwitchBot app knows for ``device``."""
    model = device.device_type if isinstance(device, Device) else device.remote_type
    return DeviceInfo(
        identifiers={(DOMAIN, device.device_id)},
        connections=bluetooth_connections(device.device_id),
        manufacturer=MANUFACTURER,
        model=model or None,
        name=device.name,
    )


def _registry_entries(devices: DeviceList, device_id: str) -> list[DeviceInfo]:
    """Return the device ``device_id`` as the registry should know it, after its hub."""
    found = devices.find(device_id)
    if found is None:
        return [DeviceInfo(identifiers={(DOMAIN, device_id)})]
    info = _described(found)
    if (hub_id := found.hub_device_id) is None:
        return [info]
    hub = devices.find(hub_id)
    hub_info = (
        _described(hub)
        if hub is not None
        else DeviceInfo(
            identifiers={(DOMAIN, hub_id)},
            connections=bluetooth_connections(hub_id),
            manufacturer=MANUFACTURER,
            name=hub_id,
        )
    )
    info["via_device"] = (DOMAIN, hub_id)
    return [hub_info, info]


def _room_devices(
    hass: HomeAssistant,
    subentry: ConfigSubentry,
    settings: Settings,
    devices: DeviceList | None,
) -> list[DeviceInfo]:
    """Return a room's devices as the registry should know them; report missing ones.

    Without the account's list (``devices`` None) the configured devices are known by
    identifier only, and nothing is reported, for lack of knowing what exists.
    """
    entries = [
        DeviceInfo(
            identifiers={(DOMAIN, subentry.subentry_id)},
            entry_type=DeviceEntryType.SERVICE,
            manufacturer=MANUFACTURER,
            name=subentry.title,
        )
    ]
    for role in (DeviceRole.METER, DeviceRole.AIRCON):
        device_id = configured_device_id(settings, role)
        if devices is None:
            entries += [DeviceInfo(identifiers={(DOMAIN, device_id)})] if device_id else []
            continue
        async_set_issue(
            hass,
            subentry,
            ISSUE_DEVICE_MISSING,
            active=bool(device_id) and devices.find(device_id) is None,
            placeholders={"device_id": device_id, "role": role.value},
            qualifier=role.value,
        )
        entries += _registry_entries(devices, device_id) if device_id else []
    return entries


@callback
def async_sync_devices(
    hass: HomeAssistant,
    entry: ConfigEntry,
    rooms: Sequence[tuple[ConfigSubentry, Settings]],
    devices: DeviceList | None,
) -> None:
    """Register the account's and the rooms' devices, remove stale ones, report missing ones.

    ``devices`` is None when the account's list could not be read (quota exhausted at set
    up): the configured devices are then registered by identifier only, keeping what the
    registry knew, and nothing is removed.
    """
    registry = dr.async_get(hass)
    account = account_device(entry)
    registry.async_get_or_create(config_entry_id=entry.entry_id, **account)
    wanted = set(account["identifiers"])
    for subentry, settings in rooms:
        for info in _room_devices(hass, subentry, settings, devices):
            registry.async_get_or_create(
                config_entry_id=entry.entry_id, config_subentry_id=subentry.subentry_id, **info
            )
            wanted |= info["identifiers"]
    if devices is None:
        return
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if not device.identifiers & wanted:
            registry.async_update_device(device.id, remove_config_entry_id=entry.entry_id)
