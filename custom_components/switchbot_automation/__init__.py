"""SwitchBot Automation: keeps a room between two temperatures through the SwitchBot Cloud."""

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN
from .coordinator import (
    TICK_LOCKS,
    SwitchBotAutomationConfigEntry,
    SwitchBotAutomationCoordinator,
    entry_tick_lock,
)
from .issues import async_delete_entry_issues
from .services import async_setup_services
from .store import AutomationStateStore

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
    """Run the first tick, register the devices, then add the entities."""
    coordinator = SwitchBotAutomationCoordinator(hass, entry)
    await coordinator.async_config_entry_first_refresh()
    coordinator.async_sync_devices()
    entry.runtime_data = coordinator
    entry.async_on_unload(coordinator.async_keep_ticking())
    entry.async_on_unload(coordinator.async_finish_on_stop())
    entry.async_on_unload(coordinator.async_watch_inputs())
    entry.async_on_unload(entry.add_update_listener(_async_entry_updated))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def _async_entry_updated(hass: HomeAssistant, entry: SwitchBotAutomationConfigEntry) -> None:
    """Apply a change of the entry: options at once, credentials and devices by a reload."""
    await entry.runtime_data.async_entry_updated()


async def async_unload_entry(hass: HomeAssistant, entry: SwitchBotAutomationConfigEntry) -> bool:
    """Remove the entities; the coordinator then stops and saves the state (on unload)."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: SwitchBotAutomationConfigEntry) -> None:
    """Delete the stored state and the repair issues of a removed entry.

    Once its last tick has ended, and been saved, should it have outlasted the unload.
    """
    async with entry_tick_lock(hass, entry.entry_id):
        await AutomationStateStore(hass, entry.entry_id).async_remove()
        async_delete_entry_issues(hass, entry.entry_id)
    hass.data[TICK_LOCKS].pop(entry.entry_id)
