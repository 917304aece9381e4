"""The integration's services: run a tick now, the quick off, forget the assumed power.

They are registered once, when the integration is set up, and name the config entry (the
SwitchBot account) they act on, so they exist (and validate their target) whatever entries
are loaded. An optional device names one room: its automation device, its thermometer or
its air conditioner; without it, a service acts on every room of the account, one after the
other, each room tried even when one fails. ``run_tick`` returns what the ticks did when the
caller asks for a response.
"""

from collections.abc import Awaitable, Callable
from typing import Final

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.selector import (
    ConfigEntrySelector,
    DeviceSelector,
    DeviceSelectorConfig,
)
from homeassistant.util.json import JsonValueType
import voluptuous as vol

from .account_coordinator import AccountCoordinator
from .const import DOMAIN
from .coordinator import RoomCoordinator
from .engine import TickResult
from .helpers import async_checked

ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"
ATTR_DEVICE_ID: Final = "device_id"
SERVICE_RUN_TICK: Final = "run_tick"
SERVICE_QUICK_OFF: Final = "quick_off"
SERVICE_FORGET_ASSUMED_POWER: Final = "forget_assumed_power"

SERVICE_SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): ConfigEntrySelector({"integration": DOMAIN}),
        vol.Optional(ATTR_DEVICE_ID): DeviceSelector(DeviceSelectorConfig(integration=DOMAIN)),
    }
)


def _account(call: ServiceCall) -> AccountCoordinator:
    """Return the account of the loaded entry the call names, or refuse the call."""
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
    account: AccountCoordinator = entry.runtime_data
    return account


def _rooms(call: ServiceCall) -> list[RoomCoordinator]:
    """Return the rooms the call acts on: the device's, or every room of the entry."""
    account = _account(call)
    device_id: str | None = call.data.get(ATTR_DEVICE_ID)
    if device_id is None:
        return list(account.rooms.values())
    device = dr.async_get(call.hass).async_get(device_id)
    room_ids = (
        device.config_entries_subentries.get(account.config_entry.entry_id, set())
        if device is not None
        else set()
    )
    rooms = [room for room_id, room in account.rooms.items() if room_id in room_ids]
    if not rooms:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="room_not_found",
            translation_placeholders={"device_id": device_id},
        )
    return rooms


def tick_response(room: RoomCoordinator, result: TickResult) -> dict[str, JsonValueType]:
    """Return what a room's manual tick (``result``) did, as ``run_tick`` answers it.

    The room's id and name, its outcome, the commands it sent (the event's data), and from
    the data the tick published: the next scheduled tick (None while polling is disabled)
    and the account's calls counted today (UTC).
    """
    data = room.data
    return {
        "room_id": room.room_id,
        "room": room.subentry.title,
        "outcome": result.outcome,
        "commands": [action.as_event_data() for action in result.actions],
        "next_tick": None if data.next_tick is None else data.next_tick.isoformat(),
        "api_calls_today": data.api_calls_today,
    }


async def _async_each_room[T](
    call: ServiceCall, operation: Callable[[RoomCoordinator], Awaitable[T]]
) -> list[T]:
    """Run ``operation`` on each room of the call, one after the other; return what they did.

    One room's failure (its hub offline, say) does not keep the others from acting: every
    room is tried, then the first failure is raised.
    """
    done: list[T] = []
    failures: list[HomeAssistantError] = []
    for room in _rooms(call):
        try:
            done.append(await operation(room))
        except HomeAssistantError as err:
            failures.append(err)
    if failures:
        raise failures[0]
    return done


async def _async_run_tick(call: ServiceCall) -> ServiceResponse:
    """Run a manual tick of each room; return what they did if asked to.

    The answer holds one item per room (``rooms``); a single room's items are also at the
    top level, as before the account had several rooms.
    """

    async def tick(room: RoomCoordinator) -> dict[str, JsonValueType]:
        result = await async_checked(room.async_run_tick())
        return tick_response(room, result)

    answers = await _async_each_room(call, tick)
    if not call.return_response:
        return None
    return {**(answers[0] if len(answers) == 1 else {}), "rooms": list(answers)}


async def _async_quick_off(call: ServiceCall) -> None:
    """Disable each room's automation and send OFF."""
    await _async_each_room(call, lambda room: async_checked(room.async_quick_off()))


async def _async_forget_assumed_power(call: ServiceCall) -> None:
    """Forget what each room assumes of its unit, so its next decision sends its command."""
    await _async_each_room(call, lambda room: room.async_forget_assumed_power())


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
