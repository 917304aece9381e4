"""The button that runs a tick now."""

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .account_coordinator import SwitchBotAutomationConfigEntry
from .engine import TickResult
from .entity import SwitchBotAutomationControlEntity, add_room_entities
from .helpers import raise_on_failure

PARALLEL_UPDATES = 0

RUN_TICK_BUTTON = ButtonEntityDescription(key="run_tick", translation_key="run_tick")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SwitchBotAutomationConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the run tick button of a config entry."""
    add_room_entities(
        entry, async_add_entities, lambda room: [RunTickButton(room, RUN_TICK_BUTTON)]
    )


class RunTickButton(SwitchBotAutomationControlEntity, ButtonEntity):
    """Runs a tick now (after the one in progress, if any)."""

    @raise_on_failure
    async def async_press(self) -> TickResult:
        """Run a manual tick."""
        return await self.coordinator.async_run_tick()
