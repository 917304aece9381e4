"""The integration's services: run a tick now, the quick off, forget the assumed power.

They are registered once, when the integration is set up, and name the config entry they act
on, so they exist (and validate their target) whatever entries are loaded. ``run_tick``
returns what the tick did when the caller asks for a response.
"""

from typing import Final, cast

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.selector import ConfigEntrySelector
import voluptuous as vol

from .const import DOMAIN
from .coordinator import AutomationData, SwitchBotAutomationCoordinator
from .engine import TickResult
from .helpers import async_checked, raise_on_failure

ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"
SERVICE_RUN_TICK: Final = "run_tick"
SERVICE_QUICK_OFF: Final = "quick_off"
SERVICE_FORGET_ASSUMED_POWER: Final = "forget_assumed_power"

SERVICE_SCHEMA: Final = vol.Schema(
    {vol.Required(ATTR_CONFIG_ENTRY_ID): ConfigEntrySelector({"integration": DOMAIN})}
)


def _coordinator(call: ServiceCall) -> SwitchBotAutomationCoordinator:
    """Return the coordinator of the loaded entry the call names, or refuse the call."""
    entry_id: str = call.data[ATTR_CONFIG_ENTRY_ID]
    entry = call.hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_found",
            translation_placeholders={"config_entry_id": entry_id},
        )
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_loaded",
            translation_placeholders={"entry_title": entry.title},
        )
    return cast(SwitchBotAutomationCoordinator, entry.runtime_data)


def tick_response(result: TickResult, data: AutomationData) -> ServiceResponse:
    """Return what a manual tick did, the response of ``run_tick``.

    Its outcome, the commands it sent (the event's data), the next scheduled tick (None while
    polling is disabled) and the calls counted today (UTC).
    """
    return {
        "outcome": result.outcome,
        "commands": [action.as_event_data() for action in result.actions],
        "next_tick": None if data.next_tick is None else data.next_tick.isoformat(),
        "api_calls_today": data.api_calls_today,
    }


async def _async_run_tick(call: ServiceCall) -> ServiceResponse:
    """Run a manual tick of the entry; return what it did if asked to."""
    coordinator = _coordinator(call)
    result = await async_checked(coordinator.async_run_tick())
    return tick_response(result, coordinator.data) if call.return_response else None


@raise_on_failure
async def _async_quick_off(call: ServiceCall) -> TickResult:
    """Disable the entry's automation and send OFF."""
    return await _coordinator(call).async_quick_off()


async def _async_forget_assumed_power(call: ServiceCall) -> None:
    """Forget what the entry assumes of the unit, so the next decision sends its command."""
    await _coordinator(call).async_forget_assumed_power()


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the services of the integration."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_RUN_TICK,
        _async_run_tick,
        schema=SERVICE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(DOMAIN, SERVICE_QUICK_OFF, _async_quick_off, schema=SERVICE_SCHEMA)
    hass.services.async_register(
        DOMAIN,
        SERVICE_FORGET_ASSUMED_POWER,
        _async_forget_assumed_power,
        schema=SERVICE_SCHEMA,
    )
