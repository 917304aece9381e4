"""The forms of the config and options flows, and the conversions between forms and options.

Each number field takes its bounds from ``option_keys`` so the form refuses what the engine
refuses; each select whose labels need translating names its ``selector`` translation key.
Form values are strings where Home Assistant's selectors return strings (weekdays, AC mode
and fan speed, scenes), so the conversions from and to the stored options live beside the
schemas that impose them.

Schemas holding a ``section`` are built anew on every call: ``add_suggested_values_to_schema``
writes into the section it is given.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from homeassistant.const import CONF_TOKEN, UnitOfTemperature, UnitOfTime
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
    TimeSelector,
)
import voluptuous as vol

from .cloud import DeviceList, Scene
from .const import CONF_SECRET
from .engine import parse_window
from .engine.options import (
    NUMBER_BOUNDS,
    OPT_ACTION_OFF_COOLDOWN,
    OPT_ACTION_ON_COOLDOWN,
    OPT_ADAPTIVE_POLLING,
    OPT_AIRCON_DEVICE_ID,
    OPT_AIRCON_SCENES,
    OPT_AUTOMATION_ENABLED,
    OPT_COMMAND_COOLDOWN,
    OPT_DAILY_CALL_BUDGET,
    OPT_FAN_MODE_DURING_WINDOW,
    OPT_HYSTERESIS,
    OPT_IDLE_POLL_INTERVAL,
    OPT_IDLE_READ_INTERVAL,
    OPT_MAX_TEMPERATURE_RATE,
    OPT_MAX_WINDOW_INTERVAL,
    OPT_METER_DEVICE_ID,
    OPT_METER_UPDATE_INTERVAL,
    OPT_MODE,
    OPT_OFF_REPEAT_COUNT,
    OPT_OFF_REPEAT_INTERVAL,
    OPT_POLL_INTERVAL,
    OPT_POLL_WARMUP,
    OPT_QUOTA_WARNING_THRESHOLD,
    OPT_SUMMER,
    OPT_TIMEZONE,
    OPT_TURN_OFF_OUTSIDE_WINDOWS,
    OPT_WINTER,
    PROFILE_AC_MODE,
    PROFILE_BOUNDS,
    PROFILE_FAN_SPEED,
    PROFILE_MAX_TEMP,
    PROFILE_MIN_TEMP,
    PROFILE_TARGET_TEMP,
    SCENE_KEYS,
    SEASONS,
    WINDOW_DAYS,
    WINDOW_END,
    WINDOW_START,
    NumberBound,
)

# Form-only field names (the others are option keys).
FIELD_WINDOW: Final = "window"
FIELD_WINDOWS: Final = "windows"
FIELD_SETTINGS_JSON: Final = "settings_json"

# Translation keys of the ``selector`` section of the translations.
_SELECTOR_WEEKDAY: Final = "weekday"
_SELECTOR_SEASON: Final = "season"
_SELECTOR_AC_MODE: Final = "ac_mode"
_SELECTOR_FAN_SPEED: Final = "fan_speed"
_SELECTOR_SCENE: Final = "scene"

NO_SCENE: Final = "none"
"""Scene select value meaning "no scene, send the command" (stored as ``""``)."""

WEEKDAYS: Final = tuple(str(day) for day in range(7))

_UNITS: Final[dict[str, str]] = {
    OPT_HYSTERESIS: UnitOfTemperature.CELSIUS,
    OPT_ACTION_ON_COOLDOWN: UnitOfTime.SECONDS,
    OPT_ACTION_OFF_COOLDOWN: UnitOfTime.SECONDS,
    OPT_COMMAND_COOLDOWN: UnitOfTime.SECONDS,
    OPT_OFF_REPEAT_INTERVAL: UnitOfTime.SECONDS,
    OPT_POLL_INTERVAL: UnitOfTime.SECONDS,
    OPT_IDLE_POLL_INTERVAL: UnitOfTime.SECONDS,
    OPT_POLL_WARMUP: UnitOfTime.MINUTES,
    OPT_MAX_TEMPERATURE_RATE: f"{UnitOfTemperature.CELSIUS}/{UnitOfTime.MINUTES}",
    OPT_MAX_WINDOW_INTERVAL: UnitOfTime.SECONDS,
    OPT_METER_UPDATE_INTERVAL: UnitOfTime.SECONDS,
    OPT_IDLE_READ_INTERVAL: UnitOfTime.SECONDS,
}
_RATE_STEP: Final = 0.01
"""°C per minute: a room warms or cools by a few hundredths to a few tenths."""
_TEMPERATURE_STEP: Final = 0.1
_TARGET_STEP: Final = 0.5
"""An IR air conditioner takes whole or half degrees at best."""


def _number(bound: NumberBound, unit: str | None, step: float) -> NumberSelector:
    config = NumberSelectorConfig(
        min=bound.minimum, max=bound.maximum, step=step, mode=NumberSelectorMode.BOX
    )
    if unit is not None:
        config["unit_of_measurement"] = unit
    return NumberSelector(config)


def _option_number(key: str) -> NumberSelector:
    """Return the number field of the top-level option ``key``, with its bounds and unit."""
    bound = NUMBER_BOUNDS[key]
    if bound.integer:
        step = 1.0
    else:
        step = _RATE_STEP if key == OPT_MAX_TEMPERATURE_RATE else _TEMPERATURE_STEP
    return _number(bound, _UNITS.get(key), step)


def _select(
    options: list[str] | list[SelectOptionDict],
    translation_key: str | None = None,
    *,
    multiple: bool = False,
    custom_value: bool = False,
) -> SelectSelector:
    config = SelectSelectorConfig(
        options=options,
        multiple=multiple,
        custom_value=custom_value,
        mode=SelectSelectorMode.DROPDOWN,
    )
    if translation_key is not None:
        config["translation_key"] = translation_key
    return SelectSelector(config)


def _integer_choices(bound: NumberBound) -> list[str]:
    """Return the values of an integer profile field, as the strings a select returns."""
    return [str(value) for value in range(int(bound.minimum), int(bound.maximum) + 1)]


def _numbers_schema(keys: Iterable[str]) -> dict[vol.Marker, Any]:
    return {vol.Required(key): _option_number(key) for key in keys}


def _toggles_schema(keys: Iterable[str]) -> dict[vol.Marker, Any]:
    return {vol.Required(key): BooleanSelector() for key in keys}


# --- Credentials and devices (config flow) --------------------------------------------------

CREDENTIALS_SCHEMA: Final = vol.Schema(
    {
        vol.Required(CONF_TOKEN): TextSelector(),
        vol.Required(CONF_SECRET): TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD)),
    }
)


def credentials_from_form(user_input: Mapping[str, Any]) -> dict[str, str]:
    """Return the token and secret without the blanks a copy and paste brings along."""
    return {key: str(user_input[key]).strip() for key in (CONF_TOKEN, CONF_SECRET)}


DEVICE_KEYS: Final = (OPT_METER_DEVICE_ID, OPT_AIRCON_DEVICE_ID)


def devices_schema(devices: DeviceList) -> vol.Schema:
    """Return the thermometer and air conditioner dropdowns, labelled "name (type)"."""
    thermometers = [
        SelectOptionDict(value=device.device_id, label=f"{device.name} ({device.device_type})")
        for device in devices.thermometers
    ]
    air_conditioners = [
        SelectOptionDict(value=remote.device_id, label=f"{remote.name} ({remote.remote_type})")
        for remote in devices.air_conditioners
    ]
    return vol.Schema(
        {
            vol.Required(OPT_METER_DEVICE_ID): _select(thermometers),
            vol.Required(OPT_AIRCON_DEVICE_ID): _select(air_conditioners),
        }
    )


def devices_form_values(devices: DeviceList, current: Mapping[str, Any]) -> dict[str, str]:
    """Preselect the ``current`` devices when the account has them, else the first ones."""
    values: dict[str, str] = {}
    for key, choices in (
        (OPT_METER_DEVICE_ID, devices.thermometers),
        (OPT_AIRCON_DEVICE_ID, devices.air_conditioners),
    ):
        ids = [choice.device_id for choice in choices]
        values[key] = current[key] if current.get(key) in ids else ids[0]
    return values


# --- Time windows ------------------------------------------------------------------------

WINDOW_SCHEMA: Final = vol.Schema(
    {
        vol.Required(WINDOW_DAYS): _select(list(WEEKDAYS), _SELECTOR_WEEKDAY, multiple=True),
        vol.Required(WINDOW_START): TimeSelector(),
        vol.Required(WINDOW_END): TimeSelector(),
    }
)


def window_form_values(window: object) -> dict[str, Any]:
    """Return the form values showing a stored window; none for an unreadable one."""
    parsed, _ = parse_window(window) if isinstance(window, Mapping) else (None, {})
    if parsed is None:
        return {}
    return {
        WINDOW_DAYS: [str(day) for day in parsed.days],
        WINDOW_START: parsed.start.isoformat(),
        WINDOW_END: parsed.end.isoformat(),
    }


def window_from_form(user_input: Mapping[str, Any]) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """Return the window to store (times as ``"HH:MM"``), or None and the errors by field.

    ``settings.parse_window`` is the engine's ``validate_window`` that also hands back the
    parsed window, so the form is checked and converted by the same code.
    """
    window, errors = parse_window(user_input)
    return (None if window is None else window.to_option()), errors


def _window_choices(labels: Sequence[str]) -> list[SelectOptionDict]:
    """Return select options naming windows by their position in ``time_windows``."""
    return [SelectOptionDict(value=str(index), label=label) for index, label in enumerate(labels)]


def window_pick_schema(labels: Sequence[str]) -> vol.Schema:
    """Return the dropdown of the window to edit."""
    return vol.Schema({vol.Required(FIELD_WINDOW): _select(_window_choices(labels))})


def windows_pick_schema(labels: Sequence[str]) -> vol.Schema:
    """Return the multiple choice of the windows to remove."""
    return vol.Schema(
        {vol.Required(FIELD_WINDOWS, default=[]): _select(_window_choices(labels), multiple=True)}
    )


# --- Options: profiles ---------------------------------------------------------------------


_PROFILE_TEMPERATURE_STEPS: Final = {
    PROFILE_MIN_TEMP: _TEMPERATURE_STEP,
    PROFILE_MAX_TEMP: _TEMPERATURE_STEP,
    PROFILE_TARGET_TEMP: _TARGET_STEP,
}


def _profile_section() -> section:
    return section(
        vol.Schema(
            {
                **{
                    vol.Required(field): _number(
                        PROFILE_BOUNDS[field], UnitOfTemperature.CELSIUS, step
                    )
                    for field, step in _PROFILE_TEMPERATURE_STEPS.items()
                },
                vol.Required(PROFILE_AC_MODE): _select(
                    _integer_choices(PROFILE_BOUNDS[PROFILE_AC_MODE]), _SELECTOR_AC_MODE
                ),
                vol.Required(PROFILE_FAN_SPEED): _select(
                    _integer_choices(PROFILE_BOUNDS[PROFILE_FAN_SPEED]), _SELECTOR_FAN_SPEED
                ),
            }
        )
    )


def profiles_schema() -> vol.Schema:
    """Return the season, the hysteresis, and one section per season profile."""
    seasons: list[str] = list(SEASONS)
    return vol.Schema(
        {
            vol.Required(OPT_MODE): _select(seasons, _SELECTOR_SEASON),
            **_numbers_schema((OPT_HYSTERESIS,)),
            vol.Required(OPT_WINTER): _profile_section(),
            vol.Required(OPT_SUMMER): _profile_section(),
        }
    )


_SELECT_PROFILE_FIELDS: Final = (PROFILE_AC_MODE, PROFILE_FAN_SPEED)


def profiles_form_values(options: Mapping[str, Any]) -> dict[str, Any]:
    """Return the profiles form's values from complete, valid options."""
    values = dict(options)
    for season in SEASONS:
        profile = dict(options[season])
        for field in _SELECT_PROFILE_FIELDS:
            profile[field] = str(profile[field])
        values[season] = profile
    return values


def profiles_from_form(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Return the options of the profiles form, the select fields back to integers."""
    options = dict(user_input)
    for season in SEASONS:
        profile = dict(user_input[season])
        for field in _SELECT_PROFILE_FIELDS:
            profile[field] = int(profile[field])
        options[season] = profile
    return options


# --- Options: actions ----------------------------------------------------------------------

_ACTION_NUMBER_KEYS: Final = (
    OPT_COMMAND_COOLDOWN,
    OPT_ACTION_ON_COOLDOWN,
    OPT_ACTION_OFF_COOLDOWN,
    OPT_OFF_REPEAT_COUNT,
    OPT_OFF_REPEAT_INTERVAL,
)
_ACTION_TOGGLE_KEYS: Final = (OPT_TURN_OFF_OUTSIDE_WINDOWS, OPT_FAN_MODE_DURING_WINDOW)


def actions_schema(scenes: Sequence[Scene], current_scene_ids: Iterable[str]) -> vol.Schema:
    """Return the master switch, the scenes used instead of commands, cooldowns, repeats.

    The scene dropdowns list the account's scenes, plus the configured ids the account no
    longer lists so that saving another field does not fail; they take a typed id too, for
    when the scene list could not be fetched.
    """
    known = {scene.scene_id for scene in scenes}
    choices = [
        SelectOptionDict(value=NO_SCENE, label=NO_SCENE),
        *(
            SelectOptionDict(value=scene.scene_id, label=scene.name)
            for scene in sorted(scenes, key=lambda scene: scene.name.casefold())
        ),
        *(
            SelectOptionDict(value=scene_id, label=scene_id)
            for scene_id in sorted(set(current_scene_ids) - known - {"", NO_SCENE})
        ),
    ]
    scene_select = _select(choices, _SELECTOR_SCENE, custom_value=True)
    return vol.Schema(
        {
            **_toggles_schema((OPT_AUTOMATION_ENABLED,)),
            vol.Required(OPT_AIRCON_SCENES): section(
                vol.Schema({vol.Required(name): scene_select for name in SCENE_KEYS})
            ),
            **_numbers_schema(_ACTION_NUMBER_KEYS),
            **_toggles_schema(_ACTION_TOGGLE_KEYS),
        }
    )


def actions_form_values(options: Mapping[str, Any]) -> dict[str, Any]:
    """Return the actions form's values from complete, valid options."""
    return {
        **options,
        OPT_AIRCON_SCENES: {
            name: scene_id or NO_SCENE for name, scene_id in options[OPT_AIRCON_SCENES].items()
        },
    }


def actions_from_form(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Return the options of the actions form, "no scene" stored as ``""``."""
    scenes = user_input[OPT_AIRCON_SCENES]
    return {
        **user_input,
        OPT_AIRCON_SCENES: {
            name: "" if scenes[name] == NO_SCENE else scenes[name].strip() for name in SCENE_KEYS
        },
    }


# --- Options: polling and advanced ---------------------------------------------------------

_POLLING_NUMBER_KEYS: Final = (OPT_POLL_INTERVAL, OPT_IDLE_POLL_INTERVAL, OPT_POLL_WARMUP)
_QUOTA_SAVING_KEYS: Final = (
    OPT_MAX_TEMPERATURE_RATE,
    OPT_MAX_WINDOW_INTERVAL,
    OPT_METER_UPDATE_INTERVAL,
    OPT_IDLE_READ_INTERVAL,
    OPT_DAILY_CALL_BUDGET,
)
POLLING_SCHEMA: Final = vol.Schema(
    {
        **_numbers_schema(_POLLING_NUMBER_KEYS),
        **_toggles_schema((OPT_ADAPTIVE_POLLING,)),
        **_numbers_schema(_QUOTA_SAVING_KEYS),
    }
)


def advanced_schema(zones: Iterable[str]) -> vol.Schema:
    """Return the time zone (empty: Home Assistant's) and the quota warning threshold."""
    return vol.Schema(
        {
            vol.Optional(OPT_TIMEZONE): _select(sorted(zones), custom_value=True),
            **_numbers_schema((OPT_QUOTA_WARNING_THRESHOLD,)),
        }
    )


# --- Options: import of the original dashboard's settings.json ------------------------------

IMPORT_SCHEMA: Final = vol.Schema(
    {vol.Required(FIELD_SETTINGS_JSON): TextSelector(TextSelectorConfig(multiline=True))}
)


def whole_numbers(options: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``options`` with the integer options as ints (number selectors give floats).

    Call it on validated options only: a fraction there has already been refused.
    """
    return {
        key: int(value)
        if key in NUMBER_BOUNDS and NUMBER_BOUNDS[key].integer and isinstance(value, float)
        else value
        for key, value in options.items()
    }
