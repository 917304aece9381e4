"""The automation's master switch (the ``automation_enabled`` option)."""

from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .account_coordinator import SwitchBotAutomationConfigEntry
from .entity import SwitchBotAutomationControlEntity, add_room_entities

PARALLEL_UPDATES = 0

AUTOMATION_SWITCH = SwitchEntityDescription(
    key="automation",
    translation_key="automation",
    entity_category=EntityCategory.CONFIG,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SwitchBotAutomationConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the automation switch of a config entry."""
    add_room_entities(
        entry, async_add_entities, lambda room: [AutomationSwitch(room, AUTOMATION_SWITCH)]
    )


class AutomationSwitch(SwitchBotAutomationControlEntity, SwitchEntity):
    """Turns the regulation on or off; stored as an option, applied at once by a tick."""

    @property
    def is_on(self) -> bool:
        """Return whether the automation is enabled."""
        return self.coordinator.settings.automation_enabled

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Enable the automation."""
        self.coordinator.async_set_option("automation_enabled", value=True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Disable the automation (due OFF repeats still run)."""
        self.coordinator.async_set_option("automation_enabled", value=False)
