"""The input entities of an entry: what their states say now, and a call when they change.

The options name Home Assistant entities (``temperature_entity_id``, ``humidity_entity_id``,
``window_entity_ids``, ``power_entity_id``); this module turns their states into the
engine's ``EntityInputs`` and tells the coordinator when one that matters changes. What
the facts mean (a reading too old, a window open long enough, a command not taken) is the
engine's to decide (``engine/inputs.py``, ``engine/power.py``).
"""

from collections.abc import Callable
import math

from homeassistant.components.binary_sensor import DOMAIN as BINARY_SENSOR_DOMAIN
from homeassistant.const import (
    ATTR_UNIT_OF_MEASUREMENT,
    STATE_OFF,
    STATE_ON,
    UnitOfPower,
    UnitOfTemperature,
)
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.util.unit_conversion import (
    BaseUnitConverter,
    PowerConverter,
    TemperatureConverter,
)

from .engine import EntityInputs, SensorReading, Settings


def _number(state: State | None) -> float | None:
    """Return the state as a finite number; None when unavailable, unknown or not a number."""
    if state is None:
        return None
    try:
        value = float(state.state)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _converted(
    state: State | None, converter: type[BaseUnitConverter], unit_to: str
) -> float | None:
    """Return a sensor's value in ``unit_to`` (°F to °C, kW to W...).

    A sensor without a unit is read in ``unit_to`` (template sensors often have none); one
    with a unit of another kind gives nothing.
    """
    value = _number(state)
    if state is None or value is None:
        return None
    unit = state.attributes.get(ATTR_UNIT_OF_MEASUREMENT) or unit_to
    if unit not in converter.VALID_UNITS:
        return None
    return converter.convert(value, unit, unit_to)


def _power(hass: HomeAssistant, settings: Settings) -> bool | None:
    """Return whether the power entity says the unit runs (None: none, or nothing usable).

    A binary sensor is on or off; a power sensor runs at ``power_on_threshold_watts`` or
    more.
    """
    if not settings.power_entity_id:
        return None
    state = hass.states.get(settings.power_entity_id)
    if state is not None and state.domain == BINARY_SENSOR_DOMAIN:
        return {STATE_ON: True, STATE_OFF: False}.get(state.state)
    watts = _converted(state, PowerConverter, UnitOfPower.WATT)
    return None if watts is None else watts >= settings.power_on_threshold_watts


def read_inputs(hass: HomeAssistant, settings: Settings) -> EntityInputs:
    """Return what the input entities of ``settings`` say now.

    The reading is aged from the temperature entity's last report (``last_reported``): a
    sensor repeating the same value is still alive. A window counts as open while its
    contact is ``on``; unavailable or unknown counts as closed, so that a contact whose
    battery died does not leave a room unheated.
    """
    reading = None
    if settings.temperature_entity_id:
        state = hass.states.get(settings.temperature_entity_id)
        temperature = _converted(state, TemperatureConverter, UnitOfTemperature.CELSIUS)
        if state is not None and temperature is not None:
            humidity = (
                _number(hass.states.get(settings.humidity_entity_id))
                if settings.humidity_entity_id
                else None
            )
            reading = SensorReading(temperature, humidity, state.last_reported)
    opened = [
        state.last_changed
        for entity_id in settings.window_entity_ids
        if (state := hass.states.get(entity_id)) is not None and state.state == STATE_ON
    ]
    return EntityInputs(reading, min(opened, default=None), _power(hass, settings))


def watched_entities(settings: Settings) -> tuple[str, ...]:
    """Return the entities whose changes run a tick: temperature, contacts and power."""
    return tuple(
        entity_id
        for entity_id in (
            settings.temperature_entity_id,
            settings.power_entity_id,
            *settings.window_entity_ids,
        )
        if entity_id
    )


@callback
def async_track_inputs(
    hass: HomeAssistant, settings: Settings, action: Callable[[], None]
) -> CALLBACK_TYPE:
    """Call ``action`` whenever a watched entity changes; return the removal."""

    @callback
    def changed(_event: Event[EventStateChangedData]) -> None:
        action()

    return async_track_state_change_event(hass, watched_entities(settings), changed)
