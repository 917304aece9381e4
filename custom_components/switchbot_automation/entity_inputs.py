"""The input entities of an entry: what their states say now, and a call when they change.

The options name Home Assistant entities (``temperature_entity_id``, ``humidity_entity_id``,
``window_entity_ids``); this module turns their states into the engine's ``EntityInputs``
and tells the coordinator when one that matters changes. What the facts mean (a reading too
old, a window open long enough) is the engine's to decide (``engine/inputs.py``).
"""

from collections.abc import Callable
import math

from homeassistant.const import (
    ATTR_UNIT_OF_MEASUREMENT,
    STATE_ON,
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
from homeassistant.util.unit_conversion import TemperatureConverter

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


def _celsius(state: State | None) -> float | None:
    """Return a temperature sensor's value in °C (°F and K converted).

    A sensor without a unit is read as °C (template sensors often have none); one with a
    unit that is not a temperature gives no reading.
    """
    value = _number(state)
    if state is None or value is None:
        return None
    unit = state.attributes.get(ATTR_UNIT_OF_MEASUREMENT) or UnitOfTemperature.CELSIUS
    if unit not in TemperatureConverter.VALID_UNITS:
        return None
    return TemperatureConverter.convert(value, unit, UnitOfTemperature.CELSIUS)


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
        temperature = _celsius(state)
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
    return EntityInputs(reading, min(opened, default=None))


def watched_entities(settings: Settings) -> tuple[str, ...]:
    """Return the entities whose changes run a tick: the temperature and the contacts."""
    return tuple(
        entity_id
        for entity_id in (settings.temperature_entity_id, *settings.window_entity_ids)
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
