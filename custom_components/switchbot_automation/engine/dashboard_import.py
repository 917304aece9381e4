"""Import of the original Flask dashboard's ``settings.json`` into options.

The options keep the dashboard's key names, so current keys are copied as they are. Older
dashboards had a single profile at the top level (``min_temp``, ``max_temp``,
``target_temp``, ``ac_mode``, ``fan_speed``): those go into the profile of the file's
``mode`` unless that profile sets them itself. Everything else (secrets such as
``api_token``, ``poll_interval`` variants, scheduler switches, unknown keys) is left out and
listed. Values are not checked here: the caller passes the result to
``validation.validate_options``, which also refuses more than ``MAX_TIME_WINDOWS`` windows.
``parse_settings_json`` reads the pasted text first, refusing what is not a plausible file.
"""

from collections.abc import Mapping
import copy
import json
from typing import Any, Final

from .options import Season
from .settings import DEFAULT_OPTIONS, PROFILE_BOUNDS

MAX_JSON_DEPTH: Final = 16
"""The deepest nesting ``parse_settings_json`` accepts; a dashboard file goes 4 levels deep
(the file, ``time_windows``, a window, its ``days``). Deeper text would make the recursive
copy, the storage's serialiser or the parser itself run out of stack."""


class SettingsJsonError(ValueError):
    """The pasted text is not a settings file: not JSON, not an object, or nested too deep."""


def parse_settings_json(text: str) -> dict[str, Any]:
    """Return the JSON object in ``text``; raise ``ValueError`` for anything else.

    Refused: text that is not JSON (or has numbers too long to convert), JSON that is not
    an object, and nesting deeper than ``MAX_JSON_DEPTH`` (the parser's ``RecursionError``
    for very deep text included).
    """
    try:
        parsed = json.loads(text)
    except RecursionError as err:
        raise SettingsJsonError("too deeply nested") from err
    if not isinstance(parsed, dict):
        raise SettingsJsonError("not a JSON object")
    # Without recursion: the containers of each level in turn, down to the limit.
    level: list[dict[str, Any] | list[Any]] = [parsed]
    for _depth in range(MAX_JSON_DEPTH):
        level = [
            child
            for container in level
            for child in (container.values() if isinstance(container, dict) else container)
            if isinstance(child, dict | list)
        ]
        if not level:
            return parsed
    raise SettingsJsonError("too deeply nested")


def options_from_dashboard(settings_json: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Return the options found in ``settings_json`` and the sorted keys left out."""
    options = {
        key: copy.deepcopy(value) for key, value in settings_json.items() if key in DEFAULT_OPTIONS
    }
    legacy = {key: value for key, value in settings_json.items() if key in PROFILE_BOUNDS}
    ignored = [key for key in settings_json if key not in options and key not in legacy]
    summer = settings_json.get("mode") == Season.SUMMER
    season = (Season.SUMMER if summer else Season.WINTER).value  # a plain key, as stored
    profile = options.get(season, {})
    if isinstance(profile, dict):
        mapped = {key: copy.deepcopy(value) for key, value in legacy.items() if key not in profile}
        if mapped:
            options[season] = {**mapped, **profile}
        ignored.extend(key for key in legacy if key in profile)
    else:
        ignored.extend(legacy)
    return options, sorted(ignored)
