"""Names, bounds and error keys of the config entry options: the contract of the settings.

The option keys are those of the original dashboard's ``settings.json`` so an existing file
maps one to one (``docs/behaviour.md``, "Settings"). The bounds live here, once, because
the options flow refuses a value outside them while the loader clamps a stored one into them:
both must agree. The error keys are the translation keys the flows show next to a field.
"""

from dataclasses import dataclass
from typing import Final, Literal

# --- Top-level option keys -------------------------------------------------------------------
OPT_AUTOMATION_ENABLED: Final = "automation_enabled"
OPT_MODE: Final = "mode"
OPT_WINTER: Final = "winter"
OPT_SUMMER: Final = "summer"
OPT_HYSTERESIS: Final = "hysteresis_celsius"
OPT_ACTION_ON_COOLDOWN: Final = "action_on_cooldown_seconds"
OPT_ACTION_OFF_COOLDOWN: Final = "action_off_cooldown_seconds"
OPT_COMMAND_COOLDOWN: Final = "command_cooldown_seconds"
OPT_OFF_REPEAT_COUNT: Final = "off_repeat_count"
OPT_OFF_REPEAT_INTERVAL: Final = "off_repeat_interval_seconds"
OPT_TURN_OFF_OUTSIDE_WINDOWS: Final = "turn_off_outside_windows"
OPT_FAN_MODE_DURING_WINDOW: Final = "fan_mode_during_window"
OPT_AIRCON_SCENES: Final = "aircon_scenes"
OPT_METER_DEVICE_ID: Final = "meter_device_id"
OPT_AIRCON_DEVICE_ID: Final = "aircon_device_id"
OPT_TIME_WINDOWS: Final = "time_windows"
OPT_TIMEZONE: Final = "timezone"
OPT_POLL_INTERVAL: Final = "poll_interval_seconds"
OPT_IDLE_POLL_INTERVAL: Final = "idle_poll_interval_seconds"
OPT_POLL_WARMUP: Final = "poll_warmup_minutes"
OPT_ADAPTIVE_POLLING: Final = "adaptive_polling_enabled"
OPT_QUOTA_WARNING_THRESHOLD: Final = "api_quota_warning_threshold"
# Quota efficiency (not in the original dashboard): see ``polling``.
OPT_MAX_TEMPERATURE_RATE: Final = "max_temperature_rate"
OPT_MAX_WINDOW_INTERVAL: Final = "max_window_poll_interval_seconds"
OPT_METER_UPDATE_INTERVAL: Final = "meter_update_interval_seconds"
OPT_IDLE_READ_INTERVAL: Final = "idle_read_interval_seconds"
OPT_DAILY_CALL_BUDGET: Final = "daily_call_budget"

# --- Keys inside a profile (``winter`` / ``summer``) ------------------------------------------
PROFILE_MIN_TEMP: Final = "min_temp"
PROFILE_MAX_TEMP: Final = "max_temp"
PROFILE_TARGET_TEMP: Final = "target_temp"
PROFILE_AC_MODE: Final = "ac_mode"
PROFILE_FAN_SPEED: Final = "fan_speed"
PROFILE_KEYS: Final = (
    PROFILE_MIN_TEMP,
    PROFILE_MAX_TEMP,
    PROFILE_TARGET_TEMP,
    PROFILE_AC_MODE,
    PROFILE_FAN_SPEED,
)

# --- Keys inside ``aircon_scenes`` ------------------------------------------------------------
SCENE_WINTER: Final = "winter"
SCENE_SUMMER: Final = "summer"
SCENE_FAN: Final = "fan"
SCENE_OFF: Final = "off"
SCENE_KEYS: Final = (SCENE_WINTER, SCENE_SUMMER, SCENE_FAN, SCENE_OFF)

# --- Keys inside one time window --------------------------------------------------------------
WINDOW_DAYS: Final = "days"
WINDOW_START: Final = "start"
WINDOW_END: Final = "end"

# --- Values of ``mode`` -----------------------------------------------------------------------
type Season = Literal["winter", "summer"]
SEASON_WINTER: Final = "winter"
SEASON_SUMMER: Final = "summer"
SEASONS: Final[tuple[Season, ...]] = (SEASON_WINTER, SEASON_SUMMER)

# --- Validation error keys (translation keys of the flows) -----------------------------------
ERR_NOT_A_NUMBER: Final = "not_a_number"
ERR_NOT_AN_INTEGER: Final = "not_an_integer"
ERR_OUT_OF_RANGE: Final = "out_of_range"
ERR_NOT_A_BOOLEAN: Final = "not_a_boolean"
ERR_NOT_A_STRING: Final = "not_a_string"
ERR_NOT_AN_OBJECT: Final = "not_an_object"
ERR_NOT_A_LIST: Final = "not_a_list"
ERR_INVALID_MODE: Final = "invalid_mode"
ERR_MIN_ABOVE_MAX: Final = "min_above_max"
ERR_INVALID_TIME: Final = "invalid_time"
ERR_SAME_START_END: Final = "same_start_end"
ERR_NO_DAYS: Final = "no_days"
ERR_INVALID_DAY: Final = "invalid_day"
ERR_INVALID_TIMEZONE: Final = "invalid_timezone"
ERROR_KEYS: Final = (
    ERR_NOT_A_NUMBER,
    ERR_NOT_AN_INTEGER,
    ERR_OUT_OF_RANGE,
    ERR_NOT_A_BOOLEAN,
    ERR_NOT_A_STRING,
    ERR_NOT_AN_OBJECT,
    ERR_NOT_A_LIST,
    ERR_INVALID_MODE,
    ERR_MIN_ABOVE_MAX,
    ERR_INVALID_TIME,
    ERR_SAME_START_END,
    ERR_NO_DAYS,
    ERR_INVALID_DAY,
    ERR_INVALID_TIMEZONE,
)


@dataclass(frozen=True, slots=True)
class NumberBound:
    """Inclusive range of a numeric option, and whether it holds whole numbers."""

    minimum: float
    maximum: float
    integer: bool

    def clamp(self, value: float) -> float:
        """Return ``value`` moved into ``[minimum, maximum]``."""
        return min(max(value, self.minimum), self.maximum)


def _int_bound(minimum: int, maximum: int) -> NumberBound:
    return NumberBound(float(minimum), float(maximum), integer=True)


def _float_bound(minimum: float, maximum: float) -> NumberBound:
    return NumberBound(float(minimum), float(maximum), integer=False)


# Bounds of the numeric top-level options, by option key.
NUMBER_BOUNDS: Final[dict[str, NumberBound]] = {
    OPT_HYSTERESIS: _float_bound(0, 5),
    OPT_ACTION_ON_COOLDOWN: _int_bound(0, 3600),
    OPT_ACTION_OFF_COOLDOWN: _int_bound(0, 3600),
    OPT_COMMAND_COOLDOWN: _int_bound(0, 3600),
    OPT_OFF_REPEAT_COUNT: _int_bound(1, 10),
    OPT_OFF_REPEAT_INTERVAL: _int_bound(1, 600),
    OPT_POLL_INTERVAL: _int_bound(15, 3600),
    OPT_IDLE_POLL_INTERVAL: _int_bound(15, 86400),
    OPT_POLL_WARMUP: _int_bound(0, 1440),
    OPT_QUOTA_WARNING_THRESHOLD: _int_bound(0, 10000),
    OPT_MAX_TEMPERATURE_RATE: _float_bound(0, 5),
    OPT_MAX_WINDOW_INTERVAL: _int_bound(15, 3600),
    OPT_METER_UPDATE_INTERVAL: _int_bound(0, 3600),
    OPT_IDLE_READ_INTERVAL: _int_bound(0, 86400),
    OPT_DAILY_CALL_BUDGET: _int_bound(0, 10000),
}

# Bounds of the fields of a profile (the same for winter and summer), by profile key.
PROFILE_BOUNDS: Final[dict[str, NumberBound]] = {
    PROFILE_MIN_TEMP: _float_bound(10, 35),
    PROFILE_MAX_TEMP: _float_bound(10, 35),
    PROFILE_TARGET_TEMP: _float_bound(16, 30),
    PROFILE_AC_MODE: _int_bound(0, 5),
    PROFILE_FAN_SPEED: _int_bound(1, 4),
}
