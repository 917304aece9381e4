"""The settings pages of a room: time windows, profiles, inputs, actions, polling, advanced.

Each page is saved on its own. Every page shows the options as the engine reads them
(``settings_from_options``: defaults filled in, stored oddities clamped), checks what is
submitted with the engine's validation, and saves only its own keys: the flow using the
pages merges them into what it stores, so keys a page does not show (another page's, or
ones a newer version added) are never dropped.

The pages know nothing of where the options live: ``RoomSettingsPages`` reads them from
``_stored_options`` and hands its changes to ``_save``, which the flow using it defines (the
room's config subentry flow, ``room_flow``).
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from functools import partial
import json
from typing import Any, Final
import zoneinfo

from homeassistant.data_entry_flow import FlowHandler, FlowResult
from homeassistant.helpers.translation import async_get_translations
import voluptuous as vol

from .account import CloudStepError, async_fetch_scenes
from .cloud import Scene
from .const import DOMAIN, SUBENTRY_ROOM
from .engine import (
    ACCOUNT_OPTION_KEYS,
    DEFAULT_OPTIONS,
    DEFAULT_SETTINGS,
    MAX_TIME_WINDOWS,
    OptionError,
    Season,
    format_time,
    options_from_dashboard,
    parse_settings_json,
    parse_window,
    settings_from_options,
    validate_options,
    zone_exists,
)
from .flow_schemas import (
    DEVICE_KEYS,
    FIELD_SETTINGS_JSON,
    FIELD_WINDOW,
    FIELD_WINDOWS,
    IMPORT_SCHEMA,
    POLLING_SCHEMA,
    WEEKDAYS,
    WINDOW_SCHEMA,
    actions_form_values,
    actions_from_form,
    actions_schema,
    advanced_schema,
    has_thermometer,
    inputs_form_values,
    inputs_from_form,
    inputs_schema,
    profiles_form_values,
    profiles_from_form,
    profiles_schema,
    whole_numbers,
    window_form_values,
    window_from_form,
    window_pick_schema,
    windows_pick_schema,
)

ERROR_INVALID_JSON: Final = "invalid_json"
ERROR_INVALID_SETTINGS: Final = "invalid_settings"
ERROR_NOTHING_TO_IMPORT: Final = "nothing_to_import"
ERROR_NO_WINDOW_SELECTED: Final = "no_window_selected"
ERROR_TOO_MANY_WINDOWS: Final = OptionError.TOO_MANY_WINDOWS
ERROR_NO_THERMOMETER: Final = "no_thermometer"

# Whether a profile's band works depends on the hysteresis: an import changing one of these
# is validated with the others as stored.
_BAND_KEYS: Final = frozenset({"hysteresis_celsius", *(season.value for season in Season)})

# Options of a settings.json that a room's import leaves out.
_NOT_IMPORTED: Final = frozenset({*DEVICE_KEYS, *ACCOUNT_OPTION_KEYS})

_NOTHING: Final = "\N{EM DASH}"
"""Placeholder text of an empty list."""
_RANGE: Final = "\N{EN DASH}"


def _bullets(lines: Sequence[str]) -> str:
    """Return a Markdown list for a step description, or a dash when there is nothing."""
    return "\n".join(f"- {line}" for line in lines) or _NOTHING


def _days_text(days: Sequence[int], names: Sequence[str]) -> str:
    """Name ``days`` (sorted), three or more consecutive ones as a range (Monday to Friday)."""
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        f"{names[run[0]]}{_RANGE}{names[run[-1]]}"
        if len(run) > 2
        else ", ".join(names[day] for day in run)
        for run in runs
    )


def window_label(window: object, day_names: Sequence[str]) -> str:
    """Describe a stored window for a menu or a dropdown; an unreadable one as stored."""
    parsed, _ = parse_window(window) if isinstance(window, Mapping) else (None, {})
    if parsed is None:
        return json.dumps(window, ensure_ascii=False, default=str)
    return (
        f"{_days_text(parsed.days, day_names)} "
        f"{format_time(parsed.start)}{_RANGE}{format_time(parsed.end)}"
    )


def _merged(current: Mapping[str, Any], imported: Mapping[str, Any]) -> dict[str, Any]:
    """Return the options ``imported`` changes, objects merged into the current ones.

    A dashboard file may hold part of a profile (older files had only some fields): the
    fields it lacks keep their current values instead of falling back to the defaults.
    """
    return {
        key: {**current[key], **value}
        if isinstance(value, Mapping) and isinstance(current.get(key), Mapping)
        else value
        for key, value in imported.items()
    }


class RoomSettingsPages[ResultT: FlowResult[Any, Any]](FlowHandler[Any, ResultT, Any], ABC):
    """The settings pages of a room, for a flow that says where its options live."""

    def __init__(self) -> None:
        """Start with nothing fetched or pending."""
        super().__init__()
        self._scenes: list[Scene] | None = None
        self._scene_error: str | None = None
        self._window_index = 0
        self._import_options: dict[str, Any] = {}
        self._import_ignored: list[str] = []

    # --- What the flow using the pages defines ----------------------------------------------

    @property
    @abstractmethod
    def _stored_options(self) -> Mapping[str, Any]:
        """The options as stored, the account's included (the engine reads them all)."""

    @abstractmethod
    def _save(self, changes: Mapping[str, Any]) -> ResultT:
        """Store ``changes`` over the stored options, keeping every other key as it is."""

    @property
    @abstractmethod
    def _account_data(self) -> Mapping[str, Any]:
        """The credentials of the account (``entry.data``), for the scene list."""

    # --- Shared plumbing ---------------------------------------------------------------------

    @property
    def _current(self) -> dict[str, Any]:
        """The stored options as the engine reads them: complete, valid, defaults filled in."""
        return settings_from_options(self._stored_options).to_options()

    async def _async_validate(self, changes: Mapping[str, Any]) -> dict[str, str]:
        """Return the engine's errors by option field; in an executor, as zones read files."""
        return await self.hass.async_add_executor_job(
            partial(validate_options, changes, is_valid_timezone=zone_exists)
        )

    async def _async_texts(self, category: str) -> dict[str, str]:
        """Return this integration's translations of ``category``, keyed after the prefix."""
        prefix = f"component.{DOMAIN}.{category}."
        texts = await async_get_translations(
            self.hass, self.hass.config.language, category, [DOMAIN]
        )
        return {key.removeprefix(prefix): text for key, text in texts.items()}

    async def _async_settings_page(
        self,
        step_id: str,
        schema: vol.Schema,
        values: Mapping[str, Any],
        user_input: dict[str, Any] | None,
        from_form: Callable[[dict[str, Any]], dict[str, Any]] = dict,
        *,
        errors: dict[str, str] | None = None,
        placeholders: Mapping[str, str] | None = None,
    ) -> ResultT:
        """Show a settings page, or validate and save what it submitted.

        The engine names a field inside an object ``winter.min_temp``; the form shows that
        error on the ``winter`` section, since Home Assistant shows errors on a section,
        not on the fields inside it.
        """
        if user_input is not None:
            changes = from_form(user_input)
            errors = {}
            for field, error in (await self._async_validate(changes)).items():
                errors.setdefault(field.partition(".")[0], error)
            if not errors:
                return self._save(whole_numbers(changes))
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, user_input or values),
            errors=errors,
            description_placeholders=placeholders,
        )

    # --- Time windows --------------------------------------------------------------------

    def _stored_windows(self) -> list[Any]:
        """Return the stored windows as they are, by position (the default one if unset).

        Unreadable windows are kept and listed as stored, so the user can see and remove
        them; a missing or non-list option means the default window, as for the engine.
        """
        stored = self._stored_options.get("time_windows")
        return list(stored if isinstance(stored, list) else DEFAULT_OPTIONS["time_windows"])

    async def _async_window_labels(self) -> list[str]:
        texts = await self._async_texts("selector")
        names = [texts.get(f"weekday.options.{day}", day) for day in WEEKDAYS]
        return [window_label(window, names) for window in self._stored_windows()]

    async def async_step_windows(self, user_input: dict[str, Any] | None = None) -> ResultT:
        """List the windows and offer to add, edit or remove one."""
        labels = await self._async_window_labels()
        menu = ["window_add", "window_select", "window_remove"] if labels else ["window_add"]
        return self.async_show_menu(
            step_id="windows",
            menu_options=menu,
            description_placeholders={"windows": _bullets(labels)},
        )

    async def _async_window_form(
        self, step_id: str, user_input: dict[str, Any] | None, index: int | None
    ) -> ResultT:
        """Add a window (``index`` None) or replace the window at ``index``.

        Adding is refused once ``MAX_TIME_WINDOWS`` windows are stored.
        """
        windows = self._stored_windows()
        errors: dict[str, str] = {}
        if index is None and len(windows) >= MAX_TIME_WINDOWS:
            errors["base"] = ERROR_TOO_MANY_WINDOWS
        elif user_input is not None:
            window, errors = window_from_form(user_input)
            if window is not None:
                if index is None:
                    windows.append(window)
                else:
                    windows[index] = window
                return self._save({"time_windows": windows})
        shown = DEFAULT_SETTINGS.time_windows[0].to_option() if index is None else windows[index]
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                WINDOW_SCHEMA, user_input or window_form_values(shown)
            ),
            errors=errors,
        )

    async def async_step_window_add(self, user_input: dict[str, Any] | None = None) -> ResultT:
        """Add a window."""
        return await self._async_window_form("window_add", user_input, None)

    async def async_step_window_select(self, user_input: dict[str, Any] | None = None) -> ResultT:
        """Choose the window to edit."""
        if user_input is not None:
            self._window_index = int(user_input[FIELD_WINDOW])
            return await self.async_step_window_edit()
        return self.async_show_form(
            step_id="window_select",
            data_schema=window_pick_schema(await self._async_window_labels()),
        )

    async def async_step_window_edit(self, user_input: dict[str, Any] | None = None) -> ResultT:
        """Edit the chosen window."""
        return await self._async_window_form("window_edit", user_input, self._window_index)

    async def async_step_window_remove(self, user_input: dict[str, Any] | None = None) -> ResultT:
        """Remove the chosen windows (all of them leaves regulation off)."""
        errors: dict[str, str] = {}
        if user_input is not None:
            removed = {int(index) for index in user_input[FIELD_WINDOWS]}
            if removed:
                windows = self._stored_windows()
                return self._save(
                    {
                        "time_windows": [
                            window for index, window in enumerate(windows) if index not in removed
                        ]
                    }
                )
            errors[FIELD_WINDOWS] = ERROR_NO_WINDOW_SELECTED
        return self.async_show_form(
            step_id="window_remove",
            data_schema=windows_pick_schema(await self._async_window_labels()),
            errors=errors,
        )

    # --- Settings pages --------------------------------------------------------------------

    async def async_step_profiles(self, user_input: dict[str, Any] | None = None) -> ResultT:
        """Edit the season, the hysteresis and the winter and summer profiles."""
        return await self._async_settings_page(
            "profiles",
            profiles_schema(),
            profiles_form_values(self._current),
            user_input,
            profiles_from_form,
        )

    async def async_step_inputs(self, user_input: dict[str, Any] | None = None) -> ResultT:
        """Edit the sensor entities and the window and door contacts.

        Without a SwitchBot meter, the temperature sensor cannot be removed: the room would
        have no thermometer (``no_thermometer``).
        """
        current = self._current
        if user_input is not None and not has_thermometer(
            {**current, **inputs_from_form(user_input)}
        ):
            return self.async_show_form(
                step_id="inputs",
                data_schema=self.add_suggested_values_to_schema(inputs_schema(), user_input),
                errors={"temperature_entity_id": ERROR_NO_THERMOMETER},
            )
        return await self._async_settings_page(
            "inputs", inputs_schema(), inputs_form_values(current), user_input, inputs_from_form
        )

    async def async_step_actions(self, user_input: dict[str, Any] | None = None) -> ResultT:
        """Edit the master switch, scenes, cooldowns and OFF repeats.

        The scene list is fetched once per visit; when that fails the error is shown and
        the scene fields still take a typed scene id, so the other fields can be saved.
        """
        if self._scenes is None:
            try:
                self._scenes = await async_fetch_scenes(self.hass, self._account_data)
            except CloudStepError as err:
                self._scenes = []
                self._scene_error = err.error_key
        current = self._current
        return await self._async_settings_page(
            "actions",
            actions_schema(self._scenes, current["aircon_scenes"].values()),
            actions_form_values(current),
            user_input,
            actions_from_form,
            errors={"base": self._scene_error} if self._scene_error else None,
        )

    async def async_step_polling(self, user_input: dict[str, Any] | None = None) -> ResultT:
        """Edit the tick intervals and the adaptive polling switch."""
        return await self._async_settings_page("polling", POLLING_SCHEMA, self._current, user_input)

    async def async_step_advanced(self, user_input: dict[str, Any] | None = None) -> ResultT:
        """Edit the time zone of the windows."""
        zones = await self.hass.async_add_executor_job(zoneinfo.available_timezones)
        return await self._async_settings_page(
            "advanced",
            advanced_schema(zones),
            self._current,
            user_input,
            lambda form: {**form, "timezone": form.get("timezone", "").strip()},
            placeholders={"ha_time_zone": self.hass.config.time_zone},
        )

    # --- Import of the original dashboard's settings.json -------------------------------

    async def async_step_import_dashboard(
        self, user_input: dict[str, Any] | None = None
    ) -> ResultT:
        """Read a pasted settings.json, then confirm what it changes before saving it."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            error, placeholders = await self._async_prepare_import(user_input[FIELD_SETTINGS_JSON])
            if error is None:
                return await self.async_step_import_confirm()
            errors[FIELD_SETTINGS_JSON] = error
        return self.async_show_form(
            step_id="import_dashboard",
            data_schema=self.add_suggested_values_to_schema(IMPORT_SCHEMA, user_input),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def _async_prepare_import(self, text: str) -> tuple[str | None, dict[str, str]]:
        """Keep what ``text`` changes for confirmation, or return the error and its details.

        The details (placeholders) list the failing fields, named as in the file.

        The device ids are not imported: the devices were picked from the account when the
        room was added, and are changed on the room's devices page, where they are checked.
        Nor are the account's options (the daily budget, the quota warning): they are the
        whole account's, set in the integration's options, not one room's.
        """
        try:
            settings_json = parse_settings_json(text)
        except ValueError:
            return ERROR_INVALID_JSON, {}
        imported, ignored = options_from_dashboard(settings_json)
        current = self._current
        changes = _merged(
            current, {key: value for key, value in imported.items() if key not in _NOT_IMPORTED}
        )
        if not changes:
            return ERROR_NOTHING_TO_IMPORT, {}
        band = {key: current[key] for key in _BAND_KEYS} if _BAND_KEYS & changes.keys() else {}
        problems = await self._async_validate({**band, **changes})
        if problems:
            texts = await self._async_texts("config_subentries")
            lines = [
                f"`{field}`: {texts.get(f'{SUBENTRY_ROOM}.error.{error}', error)}"
                for field, error in sorted(problems.items())
            ]
            return ERROR_INVALID_SETTINGS, {"problems": _bullets(lines)}
        self._import_options = whole_numbers(changes)
        self._import_ignored = sorted([*ignored, *(_NOT_IMPORTED & imported.keys())])
        return None, {}

    async def async_step_import_confirm(self, user_input: dict[str, Any] | None = None) -> ResultT:
        """Show what the import applies and what it leaves out, then save it."""
        if user_input is not None:
            return self._save(self._import_options)
        return self.async_show_form(
            step_id="import_confirm",
            description_placeholders={
                "applied": _bullets(
                    [
                        f"`{key}`: {json.dumps(value, ensure_ascii=False)}"
                        for key, value in self._import_options.items()
                    ]
                ),
                "ignored": _bullets([f"`{key}`" for key in self._import_ignored]),
            },
        )
