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

from .options import Season
from .settings import DEFAULT_OPTIONS, PROFILE_BOUNDS


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
