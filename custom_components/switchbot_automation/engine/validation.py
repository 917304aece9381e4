"""Strict validation of options for the config and options flows.

Each function returns ``{field: error_key}`` (empty when everything is valid), with the error
keys of ``option_keys`` (``ERR_*``) as translation keys. Field names:

- a top-level option: its key, e.g. ``"poll_interval_seconds"``;
- a profile field: ``"<season>.<field>"``, e.g. ``"winter.min_temp"`` (``min_above_max`` is
  reported on ``min_temp``);
- a scene: ``"aircon_scenes.<name>"``, e.g. ``"aircon_scenes.fan"``;
- a window field: ``"time_windows.<index>.<field>"``, e.g. ``"time_windows.0.start"``; a window
  that is not an object is ``"time_windows.<index>"``; ``same_start_end`` is on ``end``.

The one-profile and one-window forms use ``validate_profile`` and ``validate_window``, whose
field names are the bare keys (``"min_temp"``, ``"start"``, ...).

Only the keys present are checked (a missing key takes its default). Unknown keys are
ignored, so a flow may pass its whole form. An empty device id is valid: it means "not
configured yet".
"""

from collections.abc import Callable, Mapping
from typing import Any

from .options import (
    ERR_INVALID_MODE,
    ERR_INVALID_TIMEZONE,
    ERR_MIN_ABOVE_MAX,
    ERR_NOT_A_BOOLEAN,
    ERR_NOT_A_LIST,
    ERR_NOT_A_STRING,
    ERR_NOT_AN_OBJECT,
    NUMBER_BOUNDS,
    OPT_ADAPTIVE_POLLING,
    OPT_AIRCON_DEVICE_ID,
    OPT_AIRCON_SCENES,
    OPT_AUTOMATION_ENABLED,
    OPT_FAN_MODE_DURING_WINDOW,
    OPT_METER_DEVICE_ID,
    OPT_MODE,
    OPT_SUMMER,
    OPT_TIME_WINDOWS,
    OPT_TIMEZONE,
    OPT_TURN_OFF_OUTSIDE_WINDOWS,
    OPT_WINTER,
    PROFILE_BOUNDS,
    PROFILE_MAX_TEMP,
    PROFILE_MIN_TEMP,
    SCENE_KEYS,
    SEASONS,
)
from .settings import DEFAULT_SETTINGS, Profile, number_error, parse_window

_BOOLEAN_KEYS = (
    OPT_AUTOMATION_ENABLED,
    OPT_TURN_OFF_OUTSIDE_WINDOWS,
    OPT_FAN_MODE_DURING_WINDOW,
    OPT_ADAPTIVE_POLLING,
)
_STRING_KEYS = (OPT_METER_DEVICE_ID, OPT_AIRCON_DEVICE_ID, OPT_TIMEZONE)


def _prefixed(prefix: str, errors: Mapping[str, str]) -> dict[str, str]:
    return {f"{prefix}.{field}": key for field, key in errors.items()}


def validate_profile(profile: Mapping[str, Any], default: Profile) -> dict[str, str]:
    """Validate one profile; missing fields take those of ``default`` (the season's).

    ``min_above_max`` is only checked when both thresholds are valid numbers.
    """
    errors = {
        field: error
        for field, bound in PROFILE_BOUNDS.items()
        if field in profile and (error := number_error(profile[field], bound)) is not None
    }
    if PROFILE_MIN_TEMP not in errors and PROFILE_MAX_TEMP not in errors:
        minimum = profile.get(PROFILE_MIN_TEMP, default.min_temp)
        maximum = profile.get(PROFILE_MAX_TEMP, default.max_temp)
        if minimum > maximum:
            errors[PROFILE_MIN_TEMP] = ERR_MIN_ABOVE_MAX
    return errors


def validate_window(window: Mapping[str, Any]) -> dict[str, str]:
    """Validate one window ``{days, start, end}``.

    Times are ``"HH:MM"`` or ``"HH:MM:SS"``; days are 0..6 (0 = Monday), as ints or digit
    strings. Errors: ``not_a_list``, ``no_days``, ``invalid_day`` on ``days``;
    ``invalid_time`` on ``start``/``end``; ``same_start_end`` on ``end``.
    """
    return parse_window(window)[1]


def _validate_windows(windows: object) -> dict[str, str]:
    if not isinstance(windows, list | tuple):
        return {OPT_TIME_WINDOWS: ERR_NOT_A_LIST}
    errors: dict[str, str] = {}
    for index, window in enumerate(windows):
        field = f"{OPT_TIME_WINDOWS}.{index}"
        if isinstance(window, Mapping):
            errors.update(_prefixed(field, validate_window(window)))
        else:
            errors[field] = ERR_NOT_AN_OBJECT
    return errors


def _validate_scenes(scenes: object) -> dict[str, str]:
    if not isinstance(scenes, Mapping):
        return {OPT_AIRCON_SCENES: ERR_NOT_AN_OBJECT}
    return {
        f"{OPT_AIRCON_SCENES}.{name}": ERR_NOT_A_STRING
        for name in SCENE_KEYS
        if name in scenes and not isinstance(scenes[name], str)
    }


def validate_options(
    options: Mapping[str, Any], *, is_valid_timezone: Callable[[str], bool]
) -> dict[str, str]:
    """Validate options; return the errors by field (see the module docstring).

    ``is_valid_timezone(name)`` decides the ``timezone`` option (``""`` is always valid). It
    is injected because loading a zone reads files, which Home Assistant forbids in the event
    loop: pass ``windows.zone_exists`` from an executor, or a non-blocking check.
    """
    errors: dict[str, str] = {}
    for key in _BOOLEAN_KEYS:
        if key in options and not isinstance(options[key], bool):
            errors[key] = ERR_NOT_A_BOOLEAN
    for key in _STRING_KEYS:
        if key in options and not isinstance(options[key], str):
            errors[key] = ERR_NOT_A_STRING
    for key, bound in NUMBER_BOUNDS.items():
        if key in options and (error := number_error(options[key], bound)) is not None:
            errors[key] = error
    if OPT_MODE in options and options[OPT_MODE] not in SEASONS:
        errors[OPT_MODE] = ERR_INVALID_MODE
    for key, default in (
        (OPT_WINTER, DEFAULT_SETTINGS.winter),
        (OPT_SUMMER, DEFAULT_SETTINGS.summer),
    ):
        if key not in options:
            continue
        profile = options[key]
        if isinstance(profile, Mapping):
            errors.update(_prefixed(key, validate_profile(profile, default)))
        else:
            errors[key] = ERR_NOT_AN_OBJECT
    if OPT_AIRCON_SCENES in options:
        errors.update(_validate_scenes(options[OPT_AIRCON_SCENES]))
    if OPT_TIME_WINDOWS in options:
        errors.update(_validate_windows(options[OPT_TIME_WINDOWS]))
    timezone = options.get(OPT_TIMEZONE)
    if isinstance(timezone, str) and timezone and not is_valid_timezone(timezone):
        errors[OPT_TIMEZONE] = ERR_INVALID_TIMEZONE
    return errors
