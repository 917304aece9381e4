"""Diagnostics: the entry's settings, the engine state, the schedule and the devices.

The token, the secret and the unique id (a digest of the token) are redacted.
"""

from typing import Any, Final

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_TOKEN
from homeassistant.core import HomeAssistant

from .cloud import DeviceList
from .const import CONF_SECRET
from .coordinator import SwitchBotAutomationConfigEntry

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


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SwitchBotAutomationConfigEntry
) -> dict[str, Any]:
    """Return diagnostics for a config entry."""
    coordinator = entry.runtime_data
    data = coordinator.data
    return {
        "entry": async_redact_data(
            {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "data": dict(entry.data),
                "options": dict(entry.options),
                "pref_disable_polling": entry.pref_disable_polling,
            },
            TO_REDACT,
        ),
        "time_zone": str(coordinator.time_zone(coordinator.settings)),
        "state": coordinator.state.to_dict(),
        "polling": {
            "interval_seconds": data.poll.seconds,
            "mode": data.poll.mode,
            "next_tick": None if data.next_tick is None else data.next_tick.isoformat(),
            "last_update_success": coordinator.last_update_success,
        },
        "account": _devices_summary(coordinator.devices),
    }
