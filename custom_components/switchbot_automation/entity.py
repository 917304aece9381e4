"""The base classes of the entities of SwitchBot Automation: a room's, and the account's."""

from collections.abc import Callable, Iterable

from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .account_coordinator import AccountCoordinator, SwitchBotAutomationConfigEntry
from .coordinator import RoomCoordinator
from .devices import DeviceRole, account_device


def add_room_entities(
    entry: SwitchBotAutomationConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    entities_of: Callable[[RoomCoordinator], Iterable[Entity]],
) -> None:
    """Add each room's entities (``entities_of``) to the room's config subentry."""
    for room in entry.runtime_data.rooms.values():
        async_add_entities(entities_of(room), config_subentry_id=room.room_id)


class SwitchBotAutomationEntity(CoordinatorEntity[RoomCoordinator]):
    """An entity of one room: named by translation, on one of the room's devices."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: RoomCoordinator,
        description: EntityDescription,
        role: DeviceRole = DeviceRole.SERVICE,
    ) -> None:
        """Describe the entity and link it to the room's device of ``role``."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = f"{coordinator.room_id}_{description.key}"
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


class SwitchBotAccountEntity(CoordinatorEntity[AccountCoordinator]):
    """An entity of the whole account (its calls, its quota), on the account's device."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: AccountCoordinator, description: EntityDescription) -> None:
        """Describe the entity and link it to the account's device."""
        super().__init__(coordinator)
        self.entity_description = description
        entry = coordinator.config_entry
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        self._attr_device_info = account_device(entry)
