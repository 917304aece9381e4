"""The devices of a config entry in Home Assistant's device registry.

One service device stands for the automation itself; the thermometer and the air
conditioner get a device each (named and typed as in the SwitchBot app), linked through the
hub that relays them. They are registered here, hub first, before any entity refers to them,
so entities only link to them by identifier. Devices of the entry that are no longer
configured (another meter chosen by a reconfigure) are removed.

A SwitchBot device with a radio (a meter, a hub) has its Bluetooth address as its cloud id
(``C0FFEE123456``): it is declared as the device's Bluetooth connection
(``C0:FF:EE:12:34:56``), so the registry merges it with the same device of Home Assistant's
own SwitchBot (Bluetooth) integration.
Infrared remotes have no address (their ids look like ``02-202401...``): no connection.
"""

from enum import StrEnum
import re
from typing import Final

from homeassistant.config_entries import ConfigEntry
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
SERVICE_DEVICE_NAME: Final = "SwitchBot Automation"
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


def device_link(entry_id: str, settings: Settings, role: DeviceRole) -> DeviceInfo:
    """Return the device an entity of ``role`` belongs to (the service when unconfigured)."""
    device_id = configured_device_id(settings, role) or entry_id
    return DeviceInfo(identifiers={(DOMAIN, device_id)})


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


@callback
def async_sync_devices(
    hass: HomeAssistant, entry: ConfigEntry, settings: Settings, devices: DeviceList | None
) -> None:
    """Register the entry's devices, remove stale ones, and report configured ones missing.

    ``devices`` is None when the account's list could not be read (quota exhausted at set
    up): the configured devices are then registered by identifier only, keeping what the
    registry knew, and nothing is removed or reported, for lack of knowing what exists.
    """
    registry = dr.async_get(hass)
    registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, entry.entry_id)},
        entry_type=DeviceEntryType.SERVICE,
        manufacturer=MANUFACTURER,
        name=SERVICE_DEVICE_NAME,
    )
    wanted = {(DOMAIN, entry.entry_id)}
    for role in (DeviceRole.METER, DeviceRole.AIRCON):
        device_id = configured_device_id(settings, role)
        if devices is None:
            entries = [DeviceInfo(identifiers={(DOMAIN, device_id)})] if device_id else []
        else:
            async_set_issue(
                hass,
                entry,
                ISSUE_DEVICE_MISSING,
                active=bool(device_id) and devices.find(device_id) is None,
                placeholders={"device_id": device_id, "role": role.value},
                qualifier=role.value,
            )
            entries = _registry_entries(devices, device_id) if device_id else []
        for info in entries:
            registry.async_get_or_create(config_entry_id=entry.entry_id, **info)
            wanted |= info["identifiers"]
    if devices is None:
        return
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if not device.identifiers & wanted:
            registry.async_update_device(device.id, remove_config_entry_id=entry.entry_id)
