"""Strict validation of options for the config and options flows.

Each function returns ``{field: error_key}`` (empty when everything is valid), with the error
keys of ``options.OptionError`` as translation keys. Field names:

- a top-level option: its key, e.g. ``"poll_interval_seconds"``;
- a profile field: ``"<season>.<field>"``, e.g. ``"winter.min_temp"`` (``min_above_max`` is
  reported on ``min_temp``);
- a scene: ``"aircon_scenes.<name>"``, e.g. ``"aircon_scenes.fan"``;
- a window field: ``"time_windows.<index>.<field>"``, e.g. ``"time_windows.0.start"``; a window
  that is not an object is ``"time_windows.<index>"``; ``same_start_end`` is on ``end``; more
  than ``MAX_TIME_WINDOWS`` windows is ``too_many_windows`` on ``"time_windows"`` (and the
  windows are not checked one by one).

The one-profile and one-window forms use ``validate_profile`` and ``validate_window``, whose
field names are the bare keys (``"min_temp"``, ``"start"``, ...).

Only the keys present are checked (a missing key takes its default), each as its
declaration in ``Settings`` says (``settings.option_specs``). A profile present is also
checked against the hysteresis (``band_too_narrow`` on ``"<season>.min_temp"``: see
``Profile.band_works``), the one of the options or else the default: a flow that changes
one of them passes the others as they are stored. Unknown keys are ignored, so a
flow may pass its whole form. An empty device id is valid: it means "not configured yet".
"""

from collections.abc import Callable, Mapping
from typing import Any

from .options import Kind, OptionError, OptionSpec, Season
from .settings import (
    DEFAULT_SETTINGS,
    MAX_TIME_WINDOWS,
    DeclaredOptions,
    Profile,
    is_entity_id,
    number_error,
    option_specs,
    parse_window,
)


def _prefixed(prefix: str, errors: Mapping[str, str]) -> dict[str, str]:
    return {f"{prefix}.{field}": key for field, key in errors.items()}


def _fields_errors(data: Mapping[str, Any], default: DeclaredOptions) -> dict[str, str]:
    """Return the errors of the declared fields of ``default``'s class present in ``data``."""
    errors: dict[str, str] = {}
    for key, spec in option_specs(type(default)).items():
        if key in data:
            errors.update(_option_errors(key, data[key], spec, getattr(default, key)))
    return errors


def _option_errors(key: str, value: object, spec: OptionSpec, default: Any) -> dict[str, str]:
    """Return the errors of the option ``key`` holding ``value``, as ``spec`` declares it."""
    if spec.bound is not None:
        error = number_error(value, spec.bound)
    elif spec.kind is Kind.WINDOWS:
        return _windows_errors(key, value)
    elif spec.kind is Kind.OBJECT and isinstance(value, Mapping):
        if isinstance(default, Profile):
            return _prefixed(key, validate_profile(value, default))
        return _prefixed(key, _fields_errors(value, default))
    elif spec.kind is Kind.OBJECT:
        error = OptionError.NOT_AN_OBJECT
    elif spec.kind is Kind.BOOLEAN:
        error = None if isinstance(value, bool) else OptionError.NOT_A_BOOLEAN
    elif spec.kind is Kind.SEASON:
        error = None if value in Season else OptionError.INVALID_MODE
    elif spec.kind is Kind.ENTITIES:
        error = _entities_error(value)
    elif spec.kind is Kind.ENTITY and value != "":
        error = _entities_error([value]) if isinstance(value, str) else OptionError.NOT_A_STRING
    else:  # text, a time zone (checked by ``validate_options``)
        error = None if isinstance(value, str) else OptionError.NOT_A_STRING
    return {} if error is None else {key: error}


def _entities_error(value: object) -> OptionError | None:
    """Return the error of a list of entity ids, or None when it is one."""
    if not isinstance(value, list | tuple):
        return OptionError.NOT_A_LIST
    if not all(isinstance(item, str) for item in value):
        return OptionError.NOT_A_STRING
    if not all(is_entity_id(item) for item in value):
        return OptionError.INVALID_ENTITY_ID
    return None


def validate_profile(profile: Mapping[str, Any], default: Profile) -> dict[str, str]:
    """Validate one profile; missing fields take those of ``default`` (the season's).

    ``min_above_max`` is only checked when both thresholds are valid numbers.
    """
    errors = _fields_errors(profile, default)
    minimum = profile.get("min_temp", default.min_temp)
    maximum = profile.get("max_temp", default.max_temp)
    if "min_temp" not in errors and "max_temp" not in errors and minimum > maximum:
        errors["min_temp"] = OptionError.MIN_ABOVE_MAX
    return errors


def validate_window(window: Mapping[str, Any]) -> dict[str, str]:
    """Validate one window ``{days, start, end}``.

    Times are ``"HH:MM"`` or ``"HH:MM:SS"``; days are 0..6 (0 = Monday), as ints or digit
    strings. Errors: ``not_a_list``, ``no_days``, ``invalid_day`` on ``days``;
    ``invalid_time`` on ``start``/``end``; ``same_start_end`` on ``end``.
    """
    return parse_window(window)[1]


def _windows_errors(key: str, windows: object) -> dict[str, str]:
    if not isinstance(windows, list | tuple):
        return {key: OptionError.NOT_A_LIST}
    if len(windows) > MAX_TIME_WINDOWS:
        return {key: OptionError.TOO_MANY_WINDOWS}
    errors: dict[str, str] = {}
    for index, window in enumerate(windows):
        field = f"{key}.{index}"
        if isinstance(window, Mapping):
            errors.update(_prefixed(field, validate_window(window)))
        else:
            errors[field] = OptionError.NOT_AN_OBJECT
    return errors


def _band_errors(options: Mapping[str, Any], errors: Mapping[str, str]) -> dict[str, str]:
    """Return ``band_too_narrow`` for each valid profile of ``options`` that cannot work."""
    key = "hysteresis_celsius"
    if key in errors:
        return {}
    hysteresis = options.get(key, DEFAULT_SETTINGS.hysteresis_celsius)
    band: dict[str, str] = {}
    for season in Season:
        profile = options.get(season.value)
        minimum, maximum = f"{season.value}.min_temp", f"{season.value}.max_temp"
        if not isinstance(profile, Mapping) or minimum in errors or maximum in errors:
            continue
        default: Profile = getattr(DEFAULT_SETTINGS, season.value)
        thresholds = Profile(
            min_temp=profile.get("min_temp", default.min_temp),
            max_temp=profile.get("max_temp", default.max_temp),
            target_temp=default.target_temp,
            ac_mode=default.ac_mode,
            fan_speed=default.fan_speed,
        )
        if not thresholds.band_works(hysteresis):
            band[minimum] = OptionError.BAND_TOO_NARROW
    return band


def validate_options(
    options: Mapping[str, Any], *, is_valid_timezone: Callable[[str], bool]
) -> dict[str, str]:
    """Validate options; return the errors by field (see the module docstring).

    ``is_valid_timezone(name)`` decides the ``timezone`` option (``""`` is always valid). It
    is injected because loading a zone reads files, which Home Assistant forbids in the event
    loop: pass ``windows.zone_exists`` from an executor, or a non-blocking check.
    """
    errors = _fields_errors(options, DEFAULT_SETTINGS)
    errors.update(_band_errors(options, errors))
    timezone = options.get("timezone")
    if isinstance(timezone, str) and timezone and not is_valid_timezone(timezone):
        errors["timezone"] = OptionError.INVALID_TIMEZONE
    return errors
