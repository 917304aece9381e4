"""Sensors: what a room's last tick found, how its ticks are scheduled, the account's calls."""

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

from .account_coordinator import AccountData, QuotaState, SwitchBotAutomationConfigEntry
from .coordinator import AutomationData
from .devices import DeviceRole
from .engine import Outcome, PollingMode
from .entity import SwitchBotAccountEntity, SwitchBotAutomationEntity, add_room_entities

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


@dataclass(frozen=True, kw_only=True)
class SwitchBotAccountSensorEntityDescription(SensorEntityDescription):
    """A sensor showing one value of the account's calls."""

    value_fn: Callable[[AccountData], StateType]


ACCOUNT_SENSORS: tuple[SwitchBotAccountSensorEntityDescription, ...] = (
    # A count that only grows during a UTC day and restarts from zero the next: exactly
    # what "total increasing" means (a decrease starts a new cycle), so the statistics
    # hold the calls made per hour and per day, by every room of the account.
    SwitchBotAccountSensorEntityDescription(
        key="api_calls_today",
        translation_key="api_calls_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.api_calls_today,
    ),
    SwitchBotAccountSensorEntityDescription(
        key="quota_state",
        translation_key="quota_state",
        device_class=SensorDeviceClass.ENUM,
        options=[state.value for state in QuotaState],
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.quota_state,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SwitchBotAutomationConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the account's sensors and each room's."""
    async_add_entities(
        SwitchBotAccountSensor(entry.runtime_data, description) for description in ACCOUNT_SENSORS
    )
    add_room_entities(
        entry,
        async_add_entities,
        lambda room: (
            SwitchBotAutomationSensor(room, description, description.role)
            for description in SENSORS
        ),
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


class SwitchBotAccountSensor(SwitchBotAccountEntity, SensorEntity):
    """A sensor of the account: its calls today, its quota's state."""

    entity_description: SwitchBotAccountSensorEntityDescription

    @property
    def native_value(self) -> StateType:
        """Return the value the description reads from the account's data."""
        return self.entity_description.value_fn(self.coordinator.data)
