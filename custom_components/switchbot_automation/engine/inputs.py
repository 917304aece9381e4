"""What Home Assistant entities tell a tick: a room reading, and the windows left open.

The glue reads the entities named by the options (``temperature_entity_id``,
``humidity_entity_id``, ``window_entity_ids``) and hands their facts to the engine as
``EntityInputs``; the engine alone decides what they mean
(``docs/behaviour.md``, "Home Assistant inputs"). An entity reading costs no call: with one
configured and fresh, the SwitchBot meter is not read, and the ticks follow the entity's
changes instead of a clock.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from .settings import Settings


@dataclass(frozen=True, slots=True)
class SensorReading:
    """A usable temperature (°C) and humidity (None if unknown) from Home Assistant entities.

    ``reported_at`` is when the temperature entity last reported its value, changed or not:
    the age of the reading.
    """

    temperature: float
    humidity: float | None
    reported_at: datetime


@dataclass(frozen=True, slots=True)
class EntityInputs:
    """The facts of the input entities at one instant.

    ``reading`` is None when no temperature entity is configured or its state is unusable
    (unavailable, unknown, not a number); ``window_open_since`` is when the window or door
    open the longest was opened (None: all closed, or none configured); ``power`` whether
    the power entity says the unit runs (None: none configured, or its state is unusable).
    """

    reading: SensorReading | None = None
    window_open_since: datetime | None = None
    power: bool | None = None


NO_INPUTS = EntityInputs()
"""The inputs of an entry without input entities (or of a caller without Home Assistant)."""


def fresh_reading(settings: Settings, inputs: EntityInputs, now: datetime) -> SensorReading | None:
    """Return the entity reading when it may be used at ``now``.

    Not when no temperature entity is configured, nor when it was last reported longer ago
    than ``max_reading_age_minutes``: a sensor that stopped reporting is no reading, as a
    stale cloud reading is.
    """
    reading = inputs.reading
    if not settings.temperature_entity_id or reading is None:
        return None
    if now - reading.reported_at > timedelta(minutes=settings.max_reading_age_minutes):
        return None
    return reading


def follows_entity(settings: Settings, inputs: EntityInputs, now: datetime) -> bool:
    """Whether the ticks follow the temperature entity's changes rather than a clock.

    Yes with a temperature entity, unless its reading is unusable and the SwitchBot meter
    is configured as the fallback: the meter is then polled as without the entity.
    """
    if not settings.temperature_entity_id:
        return False
    return not settings.meter_device_id or fresh_reading(settings, inputs, now) is not None


def window_pause_start(settings: Settings, inputs: EntityInputs) -> datetime | None:
    """Return when an open window pauses regulation (None: nothing open, or no contact).

    A window or door open for ``window_open_delay_seconds`` pauses it: airing a room for
    a moment does not stop the unit, a window left open does.
    """
    opened = inputs.window_open_since
    if not settings.window_entity_ids or opened is None:
        return None
    return opened + timedelta(seconds=settings.window_open_delay_seconds)


def window_paused(settings: Settings, inputs: EntityInputs, now: datetime) -> bool:
    """Whether an open window pauses regulation at ``now``."""
    start = window_pause_start(settings, inputs)
    return start is not None and now >= start
