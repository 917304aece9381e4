"""Binary sensors: inside a window, OFF repeats pending, and the assumed AC power."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .account_coordinator import SwitchBotAutomationConfigEntry
from .devices import DeviceRole
from .engine import AutomationState
from .entity import SwitchBotAutomationEntity, add_room_entities

PARALLEL_UPDATES = 0


def _off_repeat_attributes(state: AutomationState) -> Mapping[str, Any]:
    """Return how many OFF sends are left and when the next one is due."""
    repeat = state.off_repeat
    return {
        "remaining": None if repeat is None else repeat.remaining,
        "next_run_at": None if repeat is None else repeat.next_run_at,
    }


def _aircon_attributes(state: AutomationState) -> Mapping[str, Any]:
    """Return the last action sent and the setting the AC is assumed to run."""
    return {
        "last_action": state.last_action,
        "last_action_at": state.last_action_at,
        "mode": state.assumed_mode,
        "parameter": state.assumed_parameter,
    }


@dataclass(frozen=True, kw_only=True)
class SwitchBotAutomationBinarySensorEntityDescription(BinarySensorEntityDescription):
    """A binary sensor reading the engine state the last tick left (None: unknown)."""

    is_on_fn: Callable[[AutomationState], bool | None]
    attributes_fn: Callable[[AutomationState], Mapping[str, Any]] | None = None
    role: DeviceRole = DeviceRole.SERVICE


BINARY_SENSORS: tuple[SwitchBotAutomationBinarySensorEntityDescription, ...] = (
    SwitchBotAutomationBinarySensorEntityDescription(
        key="in_window",
        translation_key="in_window",
        is_on_fn=lambda state: state.in_window,
    ),
    SwitchBotAutomationBinarySensorEntityDescription(
        key="off_repeat_pending",
        translation_key="off_repeat_pending",
        is_on_fn=lambda state: state.off_repeat is not None,
        attributes_fn=_off_repeat_attributes,
    ),
    SwitchBotAutomationBinarySensorEntityDescription(
        key="aircon_power",
        translation_key="aircon_power",
        device_class=BinarySensorDeviceClass.POWER,
        role=DeviceRole.AIRCON,
        is_on_fn=lambda state: state.assumed_power,
        attributes_fn=_aircon_attributes,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SwitchBotAutomationConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors of a config entry."""
    add_room_entities(
        entry,
        async_add_entities,
        lambda room: (
            SwitchBotAutomationBinarySensor(room, description, description.role)
            for description in BINARY_SENSORS
        ),
    )


class SwitchBotAutomationBinarySensor(SwitchBotAutomationEntity, BinarySensorEntity):
    """A binary sensor of SwitchBot Automation."""

    entity_description: SwitchBotAutomationBinarySensorEntityDescription

    @property
    def is_on(self) -> bool | None:
        """Return the value from the last tick."""
        return self.entity_description.is_on_fn(self.coordinator.data.state)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Return the details of the value, for the sensors that have some."""
        if (attributes_fn := self.entity_description.attributes_fn) is None:
            return None
        return attributes_fn(self.coordinator.data.state)
