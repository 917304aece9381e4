"""Diagnostics: the account (settings, calls, devices) and each room (settings, state, schedule).

The token, the secret and the unique id (a digest of the token) are redacted.
"""

from dataclasses import asdict
from typing import Any, Final

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_TOKEN
from homeassistant.core import HomeAssistant

from .account_coordinator import SwitchBotAutomationConfigEntry
from .cloud import DeviceList
from .const import CONF_SECRET
from .coordinator import RoomCoordinator

TO_REDACT: Final = {CONF_TOKEN, CONF_SECRET, "unique_id"}


def _devices_summary(devices: DeviceList | None) -> dict[str, Any] | None:
    """Return the account's devices and remotes: ids, types and hubs, without names."""
    if devices is None:
        return None
    return {
        "devices": [
            {
                "device_id": device.device_id,
                "device_type": device.device_type,
                "hub_device_id": device.hub_device_id,
                "cloud_service_enabled": device.cloud_service_enabled,
            }
            for device in devices.devices
        ],
        "infrared_remotes": [
            {
                "device_id": remote.device_id,
                "remote_type": remote.remote_type,
                "hub_device_id": remote.hub_device_id,
            }
            for remote in devices.remotes
        ],
    }


def _room_diagnostics(room: RoomCoordinator) -> dict[str, Any]:
    """Return a room's options, engine state and schedule."""
    data = room.data
    return {
        "title": room.subentry.title,
        "options": dict(room.subentry.data),
        "time_zone": str(room.time_zone(room.settings)),
        "state": room.state.to_dict(),
        "polling": {
            "interval_seconds": data.poll.seconds,
            "mode": data.poll.mode,
            "next_tick": None if data.next_tick is None else data.next_tick.isoformat(),
            "last_update_success": room.last_update_success,
        },
    }


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SwitchBotAutomationConfigEntry
) -> dict[str, Any]:
    """Return diagnostics for a config entry: the account and its rooms."""
    account = entry.runtime_data
    return {
        "entry": async_redact_data(
            {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "version": entry.version,
                "data": dict(entry.data),
                "options": dict(entry.options),
                "pref_disable_polling": entry.pref_disable_polling,
            },
            TO_REDACT,
        ),
        "calls": {
            "api_calls_today": account.data.api_calls_today,
            "quota_state": account.data.quota_state,
            "demands": {room_id: asdict(demand) for room_id, demand in account.demands.items()},
        },
        "rooms": {room_id: _room_diagnostics(room) for room_id, room in account.rooms.items()},
        "account": _devices_summary(account.devices),
    }
