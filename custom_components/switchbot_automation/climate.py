"""The thermostat: the automation seen as one climate entity.

It is another view of options the switch, the select and the options flow already edit, so it
never disagrees with them: its HVAC mode is ``off`` while the automation is disabled, else
``heat`` (the winter profile) or ``cool`` (the summer profile); its target range is the active
profile's ``min_temp``/``max_temp``, its fan mode the profile's ``fan_speed``. Each change is
stored in the options in one update, which the update listener applies at once with a tick;
choosing ``off`` is the quick off. What the unit does (``hvac_action``) comes from the assumed
state the ticks left.

It is on the automation's service device, with the switch and the select: the modes and the
range are the automation's settings, not the unit's. The air conditioner's device stands for
the infrared unit, which other integrations (core's SwitchBot Cloud) may drive too.
"""

from dataclasses import asdict
from typing import Any, Final, cast

from homeassistant.components.climate import ClimateEntity, ClimateEntityDescription
from homeassistant.components.climate.const import (
    ATTR_HVAC_MODE,
    ATTR_TARGET_TEMP_HIGH,
    ATTR_TARGET_TEMP_LOW,
    FAN_AUTO,
    FAN_HIGH,
    FAN_LOW,
    FAN_MEDIUM,
    ClimateEntityFeature,
    HVACAction,
    HVACMode,
)
from homeassistant.const import PRECISION_TENTHS, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .account_coordinator import SwitchBotAutomationConfigEntry
from .const import DOMAIN
from .coordinator import RoomCoordinator
from .engine import (
    NumberBound,
    Outcome,
    Profile,
    Season,
    next_window_start,
    option_specs,
    validate_options,
    zone_exists,
)
from .entity import SwitchBotAutomationControlEntity, add_room_entities
from .helpers import async_checked

PARALLEL_UPDATES = 0

THERMOSTAT = ClimateEntityDescription(key="thermostat", translation_key="thermostat")

_SEASON_OF_MODE: Final = {HVACMode.HEAT: Season.WINTER, HVACMode.COOL: Season.SUMMER}
_MODE_OF_SEASON: Final = {season: mode for mode, season in _SEASON_OF_MODE.items()}
# The profile's ``fan_speed``: 1 auto, 2 low, 3 medium, 4 high (sent with ``setAll``).
_FAN_MODES: Final = (FAN_AUTO, FAN_LOW, FAN_MEDIUM, FAN_HIGH)
_FIRST_FAN_SPEED: Final = 1
# What the unit does when assumed on, by the ``ac_mode`` last sent (2 cool, 3 dry, 4 fan,
# 5 heat); auto (0, 1) or unknown: heating in winter, cooling in summer.
_ACTION_OF_AC_MODE: Final = {
    2: HVACAction.COOLING,
    3: HVACAction.DRYING,
    4: HVACAction.FAN,
    5: HVACAction.HEATING,
}
_ACTION_OF_SEASON: Final = {Season.WINTER: HVACAction.HEATING, Season.SUMMER: HVACAction.COOLING}

_LOW_SPEC: Final = option_specs(Profile)["min_temp"]
_HIGH_SPEC: Final = option_specs(Profile)["max_temp"]
_DECIMALS: Final = 1
"""Decimals of the thresholds' step (0.1 °C), to which a new range is rounded."""


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SwitchBotAutomationConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the thermostat of a config entry."""
    add_room_entities(entry, async_add_entities, lambda room: [Thermostat(room, THERMOSTAT)])


class Thermostat(SwitchBotAutomationControlEntity, ClimateEntity):
    """The automation as a thermostat: on/off and season, target range, fan speed.

    Available whatever the last tick did, like the switch and the select: turning it off is
    what a user does when ticks fail.
    """

    _attr_supported_features = (
        ClimateEntityFeature.TARGET_TEMPERATURE_RANGE
        | ClimateEntityFeature.FAN_MODE
        | ClimateEntityFeature.TURN_ON
        | ClimateEntityFeature.TURN_OFF
    )
    _attr_temperature_unit = UnitOfTemperature.CELSIUS
    _attr_precision = PRECISION_TENTHS
    _attr_target_temperature_step = _LOW_SPEC.step
    _attr_min_temp = cast(NumberBound, _LOW_SPEC.bound).minimum
    _attr_max_temp = cast(NumberBound, _HIGH_SPEC.bound).maximum

    def __init__(self, coordinator: RoomCoordinator, description: EntityDescription) -> None:
        """Describe the thermostat, on the automation's service device."""
        super().__init__(coordinator, description)
        self._attr_hvac_modes = [HVACMode.OFF, HVACMode.HEAT, HVACMode.COOL]
        self._attr_fan_modes = list(_FAN_MODES)

    @property
    def _profile(self) -> Profile:
        """The active profile (the ``mode`` option's)."""
        return self.coordinator.settings.active_profile

    # What it shows.

    @property
    def hvac_mode(self) -> HVACMode:
        """Off while the automation is disabled, else the season's mode."""
        settings = self.coordinator.settings
        if not settings.automation_enabled:
            return HVACMode.OFF
        return _MODE_OF_SEASON[settings.mode]

    @property
    def hvac_action(self) -> HVACAction | None:
        """What the unit is assumed to do (None when its power is unknown)."""
        settings = self.coordinator.settings
        state = self.coordinator.data.state
        if state.assumed_power is None:
            return None
        if not state.assumed_power:
            return HVACAction.IDLE if settings.automation_enabled else HVACAction.OFF
        return _ACTION_OF_AC_MODE.get(
            cast(int, state.assumed_mode), _ACTION_OF_SEASON[settings.mode]
        )

    @property
    def current_temperature(self) -> float | None:
        """The last temperature read (None without a fresh reading, like its sensor)."""
        return self._current_reading()[0]

    @property
    def current_humidity(self) -> float | None:
        """The last humidity read (None without a fresh reading, like its sensor)."""
        return self._current_reading()[1]

    def _current_reading(self) -> tuple[float | None, float | None]:
        """Return the last temperature and humidity, unless the reading is too old.

        The temperature and humidity sensors are unavailable then; the thermostat stays
        available (it must be possible to turn it off) and shows no current values.
        """
        data = self.coordinator.data
        reading = data.state.last_reading
        if data.reading_stale or reading is None:
            return None, None
        return reading.temperature, reading.humidity

    @property
    def target_temperature_low(self) -> float:
        """The active profile's ``min_temp``: below it (less the hysteresis) winter heats."""
        return self._profile.min_temp

    @property
    def target_temperature_high(self) -> float:
        """The active profile's ``max_temp``: above it (plus the hysteresis) summer cools."""
        return self._profile.max_temp

    @property
    def fan_mode(self) -> str:
        """The active profile's ``fan_speed``."""
        return _FAN_MODES[self._profile.fan_speed - _FIRST_FAN_SPEED]

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Whether a window is active, when the next one starts, the polling mode, the pause.

        The pause: whether an open window or door pauses regulation (the last tick's outcome).
        """
        coordinator = self.coordinator
        settings = coordinator.settings
        start = next_window_start(
            settings.time_windows, dt_util.utcnow(), coordinator.time_zone(settings)
        )
        return {
            "in_window": coordinator.data.state.in_window,
            "next_window_start": None if start is None else start.isoformat(),
            "polling_mode": str(coordinator.data.poll.mode),
            "paused_by_open_window": coordinator.data.state.last_outcome == Outcome.WINDOW_OPEN,
        }

    # What it changes.

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Off: the quick off. Heat or cool: the automation on with that season."""
        if hvac_mode == HVACMode.OFF:
            await async_checked(self.coordinator.async_quick_off())
            return
        self.coordinator.async_set_options(
            {"automation_enabled": True, "mode": _SEASON_OF_MODE[hvac_mode]}
        )

    async def async_turn_on(self) -> None:
        """Enable the automation, in the selected season."""
        self.coordinator.async_set_options({"automation_enabled": True})

    async def async_turn_off(self) -> None:
        """Run the quick off: disable the automation and send OFF."""
        await self.async_set_hvac_mode(HVACMode.OFF)

    async def async_set_fan_mode(self, fan_mode: str) -> None:
        """Store the active profile's fan speed (the fan mode is checked by Home Assistant)."""
        settings = self.coordinator.settings
        speed = _FAN_MODES.index(fan_mode) + _FIRST_FAN_SPEED
        self.coordinator.async_set_options(
            {settings.mode: {**asdict(self._profile), "fan_speed": speed}}
        )

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Store a new range in the profile of the season, with the mode if one is given.

        Home Assistant passes both ends (``target_temp_low`` and ``target_temp_high`` go
        together), already checked against the bounds and against each other. The range is
        then checked as the options flow checks it (the engine's ``validate_options``): a
        refused one raises a translated ``ServiceValidationError`` and changes nothing. With
        ``hvac_mode`` heat or cool, the range is that season's and the mode is stored in the
        same update; with off, the range is stored with the automation disabled, then the
        quick off runs.
        """
        settings = self.coordinator.settings
        hvac_mode: HVACMode | None = kwargs.get(ATTR_HVAC_MODE)
        season = _SEASON_OF_MODE.get(cast(HVACMode, hvac_mode), settings.mode)
        profile = settings.winter if season == Season.WINTER else settings.summer
        # To the step: the frontend adds up steps of 0.1 and sends 19.000000000000004.
        low = round(float(kwargs[ATTR_TARGET_TEMP_LOW]), _DECIMALS)
        high = round(float(kwargs[ATTR_TARGET_TEMP_HIGH]), _DECIMALS)
        changes: dict[str, Any] = {season: {**asdict(profile), "min_temp": low, "max_temp": high}}
        errors = validate_options(
            {**changes, "hysteresis_celsius": settings.hysteresis_celsius},
            # Not called: no ``timezone`` option among the changes (it would read files).
            is_valid_timezone=zone_exists,
        )
        if errors:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="invalid_range",
                translation_placeholders={
                    "low": f"{low:g}",
                    "high": f"{high:g}",
                    "error": ", ".join(sorted(set(errors.values()))),
                },
            )
        if hvac_mode == HVACMode.OFF:
            self.coordinator.async_set_options({**changes, "automation_enabled": False})
            await self.async_set_hvac_mode(HVACMode.OFF)
            return
        if hvac_mode is not None:
            changes |= {"automation_enabled": True, "mode": season}
        self.coordinator.async_set_options(changes)
