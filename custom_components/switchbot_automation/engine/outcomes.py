"""Outcomes of a tick: the states of the ``last_outcome`` enum sensor.

Listed in ``docs/behaviour.md``, "Outcomes": the original's, plus the ones the integration adds for
conditions the original did not distinguish (API errors, quota, configuration, quick off).
"""

from .options import PublicStrEnum


class Outcome(PublicStrEnum):
    """What a tick (or the quick off) ended with."""

    DISABLED = "disabled"
    OUTSIDE_WINDOW = "outside_window"
    ALREADY_OFF = "already_off"
    ALREADY_ON = "already_on"
    COOLDOWN = "cooldown"
    TURNED_OFF_OUTSIDE_WINDOW = "turned_off_outside_window"
    MISSING_METER = "missing_meter"
    INVALID_TEMPERATURE = "invalid_temperature"
    INVALID_PROFILE = "invalid_profile"
    INVALID_THRESHOLDS = "invalid_thresholds"
    WINTER_ON = "winter_on"
    WINTER_OFF = "winter_off"
    SUMMER_ON = "summer_on"
    SUMMER_OFF = "summer_off"
    OFF_REPEAT_PENDING = "off_repeat_pending"
    NO_ACTION = "no_action"
    FAN_NEUTRAL_ZONE = "fan_neutral_zone"
    API_ERROR = "api_error"
    # Added by the integration.
    DEVICE_OFFLINE = "device_offline"  # the meter, the AC or its hub is offline (161/171)
    QUOTA_EXHAUSTED = "quota_exhausted"  # the daily limit is reached: no call until 00:00 UTC
    NOT_CONFIGURED = "not_configured"  # no air conditioner chosen yet
    QUICK_OFF = "quick_off"  # the quick off service sent its OFF
    STALE_READING_OFF = "stale_reading_off"  # no reading for too long: OFF, to be safe
    WINDOW_OPEN = "window_open"  # a window or door left open: OFF, regulation paused
    COMMAND_NOT_TAKEN = "command_not_taken"  # the power entity saw commands not taken: held
