"""Outcomes of a tick: the states of the ``last_outcome`` enum sensor.

Listed in ``docs/behaviour.md``, "Outcomes": the original's, plus the ones the integration adds for
conditions the original did not distinguish (API errors, quota, configuration, quick off).
"""

from typing import Final

DISABLED: Final = "disabled"
OUTSIDE_WINDOW: Final = "outside_window"
ALREADY_OFF: Final = "already_off"
ALREADY_ON: Final = "already_on"
COOLDOWN: Final = "cooldown"
TURNED_OFF_OUTSIDE_WINDOW: Final = "turned_off_outside_window"
MISSING_METER: Final = "missing_meter"
INVALID_TEMPERATURE: Final = "invalid_temperature"
INVALID_PROFILE: Final = "invalid_profile"
INVALID_THRESHOLDS: Final = "invalid_thresholds"
WINTER_ON: Final = "winter_on"
WINTER_OFF: Final = "winter_off"
SUMMER_ON: Final = "summer_on"
SUMMER_OFF: Final = "summer_off"
OFF_REPEAT_PENDING: Final = "off_repeat_pending"
NO_ACTION: Final = "no_action"
FAN_NEUTRAL_ZONE: Final = "fan_neutral_zone"
API_ERROR: Final = "api_error"
# Added by the integration.
DEVICE_OFFLINE: Final = "device_offline"  # the meter, the AC or its hub is offline (161/171)
QUOTA_EXHAUSTED: Final = "quota_exhausted"  # the daily limit is reached: no call until 00:00 UTC
NOT_CONFIGURED: Final = "not_configured"  # no air conditioner chosen yet
QUICK_OFF: Final = "quick_off"  # the quick off service sent its OFF

OUTCOMES: Final = (
    DISABLED,
    OUTSIDE_WINDOW,
    ALREADY_OFF,
    ALREADY_ON,
    COOLDOWN,
    TURNED_OFF_OUTSIDE_WINDOW,
    MISSING_METER,
    INVALID_TEMPERATURE,
    INVALID_PROFILE,
    INVALID_THRESHOLDS,
    WINTER_ON,
    WINTER_OFF,
    SUMMER_ON,
    SUMMER_OFF,
    OFF_REPEAT_PENDING,
    NO_ACTION,
    FAN_NEUTRAL_ZONE,
    API_ERROR,
    DEVICE_OFFLINE,
    QUOTA_EXHAUSTED,
    NOT_CONFIGURED,
    QUICK_OFF,
)
