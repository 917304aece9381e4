"""Import of the original Flask dashboard's ``settings.json`` into options.

The options keep the dashboard's key names, so current keys are copied as they are. Older
dashboards had a single profile at the top level (``min_temp``, ``max_temp``,
``target_temp``, ``ac_mode``, ``fan_speed``): those go into the profile of the file's
``mode`` unless that profile sets them itself. Everything else (secrets such as
``api_token``, ``poll_interval`` variants, scheduler switches, unknown keys) is left out and
listed. Values are not checked here: the caller passes the result to
``validation.validate_options``.
"""

from collections.abc import Mapping
import copy
from typing import Any

from .options import OPT_MODE, PROFILE_KEYS, SEASON_SUMMER, SEASON_WINTER
from .settings import DEFAULT_OPTIONS


def options_from_dashboard(settings_json: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Return the options found in ``settings_json`` and the sorted keys left out."""
    options = {
        key: copy.deepcopy(value) for key, value in settings_json.items() if key in DEFAULT_OPTIONS
    }
    legacy = {key: value for key, value in settings_json.items() if key in PROFILE_KEYS}
    ignored = [key for key in settings_json if key not in options and key not in legacy]
    season = SEASON_SUMMER if settings_json.get(OPT_MODE) == SEASON_SUMMER else SEASON_WINTER
    profile = options.get(season, {})
    if isinstance(profile, dict):
        mapped = {key: copy.deepcopy(value) for key, value in legacy.items() if key not in profile}
        if mapped:
            options[season] = {**mapped, **profile}
        ignored.extend(key for key in legacy if key in profile)
    else:
        ignored.extend(legacy)
    return options, sorted(ignored)
