"""Sensors: what the last tick found and how the ticks are scheduled."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfTemperature, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .coordinator import AutomationData, SwitchBotAutomationConfigEntry
from .devices import DeviceRole
from .engine import Outcome, PollingMode
from .entity import SwitchBotAutomationEntity

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class SwitchBotAutomationSensorEntityDescription(SensorEntityDescription):
    """A sensor showing one value of what the last tick found."""

    value_fn: Callable[[AutomationData], StateType | datetime]
    role: DeviceRole = DeviceRole.SERVICE
    # A reading older than the reading-age limit is no reading: the entity is unavailable.
    needs_fresh_reading: bool = False


def _reading(data: AutomationData) -> tuple[float | None, float | None]:
    """Return the last temperature and humidity read (None when unknown)."""
    reading = data.state.last_reading
    return (None, None) if reading is None else (reading.temperature, reading.humidity)


SENSORS: tuple[SwitchBotAutomationSensorEntityDescription, ...] = (
    SwitchBotAutomationSensorEntityDescription(
        key="polling_mode",
        translation_key="polling_mode",
        device_class=SensorDeviceClass.ENUM,
        options=[mode.value for mode in PollingMode],
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.poll.mode,
    ),
    SwitchBotAutomationSensorEntityDescription(
        key="last_tick",
        translation_key="last_tick",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.state.last_tick,
    ),
    SwitchBotAutomationSensorEntityDescription(
        key="next_tick",
        translation_key="next_tick",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.next_tick,
    ),
    SwitchBotAutomationSensorEntityDescription(
        key="poll_interval",
        translation_key="poll_interval",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.poll.seconds,
    ),
    SwitchBotAutomationSensorEntityDescription(
        key="last_outcome",
        translation_key="last_outcome",
        device_class=SensorDeviceClass.ENUM,
        options=[outcome.value for outcome in Outcome],
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.state.last_outcome,
    ),
    # A count that only grows during a UTC day and restarts from zero the next: exactly
    # what "total increasing" means (a decrease starts a new cycle), so the statistics
    # hold the calls made per hour and per day.
    SwitchBotAutomationSensorEntityDescription(
        key="api_calls_today",
        translation_key="api_calls_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.api_calls_today,
    ),
    SwitchBotAutomationSensorEntityDescription(
        key="temperature",
        translation_key="temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        role=DeviceRole.METER,
        needs_fresh_reading=True,
        value_fn=lambda data: _reading(data)[0],
    ),
    SwitchBotAutomationSensorEntityDescription(
        key="humidity",
        translation_key="humidity",
        device_class=SensorDeviceClass.HUMIDITY,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        role=DeviceRole.METER,
        needs_fresh_reading=True,
        value_fn=lambda data: _reading(data)[1],
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SwitchBotAutomationConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors of a config entry."""
    coordinator = entry.runtime_data
    async_add_entities(
        SwitchBotAutomationSensor(coordinator, description, description.role)
        for description in SENSORS
    )


class SwitchBotAutomationSensor(SwitchBotAutomationEntity, SensorEntity):
    """A sensor of SwitchBot Automation."""

    entity_description: SwitchBotAutomationSensorEntityDescription

    @property
    def available(self) -> bool:
        """Unavailable when the last tick failed, or the reading it needs is too old."""
        return super().available and not (
            self.entity_description.needs_fresh_reading and self.coordinator.data.reading_stale
        )

    @property
    def native_value(self) -> StateType | datetime:
        """Return the value from the last tick."""
        return self.entity_description.value_fn(self.coordinator.data)
