"""The base class of every entity of SwitchBot Automation."""

from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import SwitchBotAutomationCoordinator
from .devices import DeviceRole


class SwitchBotAutomationEntity(CoordinatorEntity[SwitchBotAutomationCoordinator]):
    """An entity of one config entry: named by translation, on one of the entry's devices."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: SwitchBotAutomationCoordinator,
        description: EntityDescription,
        role: DeviceRole = DeviceRole.SERVICE,
    ) -> None:
        """Describe the entity and link it to the device of ``role``."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = f"{coordinator.config_entry.entry_id}_{description.key}"
        self._attr_device_info = coordinator.device_info(role)


class SwitchBotAutomationControlEntity(SwitchBotAutomationEntity):
    """A switch, select or button: it works whatever the last tick did.

    Controls are what a user reaches for when ticks fail (to disable the automation, or to
    retry at once), so they stay available when the last tick raised.
    """

    @property
    def available(self) -> bool:
        """Always available: the option or the manual tick does not need the last tick."""
        return True
