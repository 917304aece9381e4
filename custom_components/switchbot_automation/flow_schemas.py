"""The forms of the flows, and the conversions between forms and options.

The settings pages are built from the option declarations (``engine.option_specs``): each
option's page, kind, bounds, unit and step, in declaration order, so a form refuses what the
engine refuses; each select whose labels need translating names its ``selector`` translation
key.
Form values are strings where Home Assistant's selectors return strings (weekdays, AC mode
and fan speed, scenes), so the conversions from and to the stored options live beside the
schemas that impose them.

Schemas holding a ``section`` are built anew on every call: ``add_suggested_values_to_schema``
writes into the section it is given.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

from homeassistant.components.binary_sensor import BinarySensorDeviceClass
from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.const import CONF_TOKEN, Platform
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import (
    BooleanSelector,
    EntityFilterSelectorConfig,
    EntitySelector,
    EntitySelectorConfig,
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
from .engine import (
    DEFAULT_SETTINGS,
    NUMBER_BOUNDS,
    AirconScenes,
    DeclaredOptions,
    Kind,
    NumberBound,
    OptionSpec,
    Page,
    Profile,
    Season,
    Settings,
    option_specs,
    parse_window,
)

# Form-only field names (the others are option keys).
FIELD_WINDOW: Final = "window"
FIELD_WINDOWS: Final = "windows"
FIELD_SETTINGS_JSON: Final = "settings_json"
FIELD_NAME: Final = "name"
"""The room's name (the config subentry's title), asked with its devices."""

# Translation keys of the ``selector`` section of the translations (a profile's lists are
# translated by their option keys).
_SELECTOR_WEEKDAY: Final = "weekday"
_SELECTOR_SEASON: Final = "season"
_SELECTOR_SCENE: Final = "scene"

NO_SCENE: Final = "none"
"""Scene select value meaning "no scene, send the command" (stored as ``""``)."""

WEEKDAYS: Final = tuple(str(day) for day in range(7))
DEVICE_KEYS: Final = tuple(
    key for key, spec in option_specs(Settings).items() if spec.page is Page.DEVICES
)
_PROFILE_CHOICES: Final = tuple(
    key for key, spec in option_specs(Profile).items() if spec.kind is Kind.CHOICE
)
_SCENE_KEYS: Final = tuple(option_specs(AirconScenes))

# The input entities, each chosen among the entities that can be one.
_INPUT_SELECTORS: Final = {
    "temperature_entity_id": EntitySelector(
        EntitySelectorConfig(domain=Platform.SENSOR, device_class=SensorDeviceClass.TEMPERATURE)
    ),
    "humidity_entity_id": EntitySelector(
        EntitySelectorConfig(domain=Platform.SENSOR, device_class=SensorDeviceClass.HUMIDITY)
    ),
    "window_entity_ids": EntitySelector(
        EntitySelectorConfig(
            domain=Platform.BINARY_SENSOR,
            device_class=[
                BinarySensorDeviceClass.WINDOW,
                BinarySensorDeviceClass.DOOR,
                BinarySensorDeviceClass.OPENING,
                BinarySensorDeviceClass.GARAGE_DOOR,
            ],
            multiple=True,
        )
    ),
    "power_entity_id": EntitySelector(
        EntitySelectorConfig(
            filter=[
                EntityFilterSelectorConfig(
                    domain=Platform.BINARY_SENSOR,
                    device_class=[
                        BinarySensorDeviceClass.POWER,
                        BinarySensorDeviceClass.PLUG,
                        BinarySensorDeviceClass.RUNNING,
                    ],
                ),
                EntityFilterSelectorConfig(
                    domain=Platform.SENSOR, device_class=SensorDeviceClass.POWER
                ),
            ]
        )
    ),
}
# Optional fields: a cleared one is missing from what the form returns.
_OPTIONAL_KINDS: Final = frozenset({Kind.TIMEZONE, Kind.ENTITY, Kind.ENTITIES})
# The thermometers of the devices step: the SwitchBot meter and the sensor entities.
_SENSOR_KEYS: Final = ("temperature_entity_id", "humidity_entity_id")
SOURCE_KEYS: Final = (*DEVICE_KEYS, *_SENSOR_KEYS)


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


def _number(spec: OptionSpec, bound: NumberBound) -> NumberSelector:
    config = NumberSelectorConfig(
        min=bound.minimum, max=bound.maximum, step=spec.step, mode=NumberSelectorMode.BOX
    )
    if spec.unit is not None:
        config["unit_of_measurement"] = spec.unit
    return NumberSelector(config)


def _field(key: str, spec: OptionSpec, default: Any) -> Any:
    """Return the form field of the option ``key`` as ``spec`` declares it.

    A whole number of a profile is a list of its values, as the strings a select returns.
    """
    if spec.bound is not None and spec.kind is Kind.CHOICE:
        low, high = int(spec.bound.minimum), int(spec.bound.maximum)
        return _select([str(value) for value in range(low, high + 1)], key)
    if spec.bound is not None:
        return _number(spec, spec.bound)
    if spec.kind is Kind.SEASON:
        return _select([season.value for season in Season], _SELECTOR_SEASON)
    if spec.kind is Kind.OBJECT:
        return section(_schema(default))
    return BooleanSelector()


def _schema(default: DeclaredOptions, page: Page | None = None, **given: Any) -> vol.Schema:
    """Return the fields of ``default``'s class shown on ``page``, in declaration order.

    ``given`` holds the fields built from what only the flow knows (devices, scenes, zones);
    an object is a section of its fields, built anew (see the module docstring).
    """
    return vol.Schema(
        {
            (vol.Optional if spec.kind in _OPTIONAL_KINDS else vol.Required)(key): given[key]
            if key in given
            else _field(key, spec, getattr(default, key))
            for key, spec in option_specs(type(default)).items()
            if spec.page is page
        }
    )


# --- Credentials and devices (config flow) --------------------------------------------------

_PASSWORD: Final = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))

# Both are secrets: password fields, and the flows never suggest stored values (a suggested
# value is sent to the browser).
CREDENTIALS_SCHEMA: Final = vol.Schema(
    {vol.Required(CONF_TOKEN): _PASSWORD, vol.Required(CONF_SECRET): _PASSWORD}
)


def credentials_from_form(user_input: Mapping[str, Any]) -> dict[str, str]:
    """Return the token and secret without the blanks a copy and paste brings along."""
    return {key: str(user_input[key]).strip() for key in (CONF_TOKEN, CONF_SECRET)}


def devices_schema(devices: DeviceList) -> vol.Schema:
    """Return the room's name, then the thermometer and AC dropdowns, labelled "name (type)".

    Then the sensor entities that may measure the room instead of (or besides) a SwitchBot
    meter: the meter is optional, and offered only when the account has one.
    """
    thermometers = [
        SelectOptionDict(value=device.device_id, label=f"{device.name} ({device.device_type})")
        for device in devices.thermometers
    ]
    air_conditioners = [
        SelectOptionDict(value=remote.device_id, label=f"{remote.name} ({remote.remote_type})")
        for remote in devices.air_conditioners
    ]
    fields: dict[vol.Marker, Any] = {vol.Required(FIELD_NAME): TextSelector()}
    if thermometers:
        fields[vol.Optional("meter_device_id")] = _select(thermometers)
    fields[vol.Required("aircon_device_id")] = _select(air_conditioners)
    for key in _SENSOR_KEYS:
        fields[vol.Optional(key)] = _INPUT_SELECTORS[key]
    return vol.Schema(fields)


def devices_form_values(
    devices: DeviceList, current: Mapping[str, Any], name: str
) -> dict[str, str]:
    """Preselect the ``current`` devices when the account has them, else the first ones.

    The sensor entities configured are preselected too, and the room's ``name``; a new room
    (no name yet) is offered the name of the preselected air conditioner.
    """
    values = inputs_form_values({key: current[key] for key in _SENSOR_KEYS if key in current})
    for key, choices in (
        ("meter_device_id", devices.thermometers),
        ("aircon_device_id", devices.air_conditioners),
    ):
        ids = [choice.device_id for choice in choices]
        if ids:
            values[key] = current[key] if current.get(key) in ids else ids[0]
    values[FIELD_NAME] = name or _aircon_name(devices, values["aircon_device_id"])
    return values


def _aircon_name(devices: DeviceList, aircon_id: str) -> str:
    return next(remote.name for remote in devices.air_conditioners if remote.device_id == aircon_id)


def room_name_from_form(user_input: Mapping[str, Any], devices: DeviceList) -> str:
    """Return the room's name as typed; a blank one is the air conditioner's name."""
    name = str(user_input.get(FIELD_NAME, "")).strip()
    return name or _aircon_name(devices, user_input["aircon_device_id"])


def devices_from_form(user_input: Mapping[str, Any]) -> dict[str, str]:
    """Return the devices and sensor entities chosen; one left empty is ``""``."""
    return {key: user_input.get(key, "") for key in SOURCE_KEYS}


def has_thermometer(options: Mapping[str, Any]) -> bool:
    """Whether ``options`` name something that measures the room: a meter or a sensor."""
    return bool(options.get("meter_device_id") or options.get("temperature_entity_id"))


# --- Time windows ------------------------------------------------------------------------

WINDOW_SCHEMA: Final = vol.Schema(
    {
        vol.Required("days"): _select(list(WEEKDAYS), _SELECTOR_WEEKDAY, multiple=True),
        vol.Required("start"): TimeSelector(),
        vol.Required("end"): TimeSelector(),
    }
)


def window_form_values(window: object) -> dict[str, Any]:
    """Return the form values showing a stored window; none for an unreadable one."""
    parsed, _ = parse_window(window) if isinstance(window, Mapping) else (None, {})
    if parsed is None:
        return {}
    return {
        "days": [str(day) for day in parsed.days],
        "start": parsed.start.isoformat(),
        "end": parsed.end.isoformat(),
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


def profiles_schema() -> vol.Schema:
    """Return the season, the hysteresis, and one section per season profile."""
    return _schema(DEFAULT_SETTINGS, Page.PROFILES)


def _with_profile_choices(
    values: Mapping[str, Any], convert: Callable[[Any], Any]
) -> dict[str, Any]:
    """Return ``values`` with the list fields of both profiles passed through ``convert``."""
    converted = dict(values)
    for season in Season:
        profile = dict(values[season])
        for key in _PROFILE_CHOICES:
            profile[key] = convert(profile[key])
        converted[season.value] = profile
    return converted


def profiles_form_values(options: Mapping[str, Any]) -> dict[str, Any]:
    """Return the profiles form's values from complete, valid options."""
    return _with_profile_choices(options, str)


def profiles_from_form(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Return the options of the profiles form, the list fields back to integers."""
    return _with_profile_choices(user_input, int)


# --- Options: actions ----------------------------------------------------------------------


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
    scenes_form = vol.Schema({vol.Required(name): scene_select for name in _SCENE_KEYS})
    return _schema(DEFAULT_SETTINGS, Page.ACTIONS, aircon_scenes=section(scenes_form))


def actions_form_values(options: Mapping[str, Any]) -> dict[str, Any]:
    """Return the actions form's values from complete, valid options."""
    return {
        **options,
        "aircon_scenes": {
            name: scene_id or NO_SCENE for name, scene_id in options["aircon_scenes"].items()
        },
    }


def actions_from_form(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Return the options of the actions form, "no scene" stored as ``""``."""
    scenes = user_input["aircon_scenes"]
    return {
        **user_input,
        "aircon_scenes": {
            name: "" if scenes[name] == NO_SCENE else scenes[name].strip() for name in _SCENE_KEYS
        },
    }


# --- Options: input entities -------------------------------------------------------------


def inputs_schema() -> vol.Schema:
    """Return the sensor entities, the window and door contacts and the contacts' delay."""
    return _schema(DEFAULT_SETTINGS, Page.INPUTS, **_INPUT_SELECTORS)


def inputs_form_values(options: Mapping[str, Any]) -> dict[str, Any]:
    """Return the inputs form's values: the entities configured (an empty one is no value)."""
    return {key: value for key, value in options.items() if value or key not in _INPUT_SELECTORS}


def inputs_from_form(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Return the options of the inputs form; a cleared entity field is stored empty."""
    cleared = {key: [] if key == "window_entity_ids" else "" for key in _INPUT_SELECTORS}
    return {**cleared, **user_input}


# --- Options: polling and advanced ---------------------------------------------------------

POLLING_SCHEMA: Final = _schema(DEFAULT_SETTINGS, Page.POLLING)


def advanced_schema(zones: Iterable[str]) -> vol.Schema:
    """Return the time zone of the windows (empty: Home Assistant's)."""
    return _schema(
        DEFAULT_SETTINGS, Page.ADVANCED, timezone=_select(sorted(zones), custom_value=True)
    )


# --- The account's options (the config entry's options flow) ---------------------------------

ACCOUNT_SCHEMA: Final = _schema(DEFAULT_SETTINGS, Page.ACCOUNT)


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
