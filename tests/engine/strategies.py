"""Hypothesis strategies of option dicts, plausible and garbled, for the settings tests."""

from typing import Any

from hypothesis import strategies as st

from custom_components.switchbot_automation.engine.settings import (
    DEFAULT_OPTIONS,
    AirconScenes,
    Profile,
    option_specs,
)

JSON: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
NUMBERS = st.integers(-100_000, 100_000) | st.floats(allow_nan=True, allow_infinity=True)
TIMES = st.sampled_from(["07:00", "7:30", "22:00:00", "00:00", "24:00", "7", "", "12:60"])
DAYS = st.lists(st.integers(-1, 7) | st.sampled_from(["0", "6", "x"]), max_size=8)
WINDOW = st.fixed_dictionaries(
    {},
    optional={
        "days": DAYS | JSON,
        "start": TIMES | JSON,
        "end": TIMES | JSON,
    },
)
PROFILE = st.dictionaries(st.sampled_from(list(option_specs(Profile))), NUMBERS | JSON, max_size=6)
SCENES = st.dictionaries(
    st.sampled_from(list(option_specs(AirconScenes))), st.text(max_size=4) | JSON, max_size=5
)


def _value_for(key: str) -> st.SearchStrategy[Any]:
    """A plausible or garbled value for option ``key``."""
    default = DEFAULT_OPTIONS[key]
    if isinstance(default, bool):
        plausible: st.SearchStrategy[Any] = st.booleans()
    elif isinstance(default, int | float):
        plausible = NUMBERS
    elif isinstance(default, str):
        plausible = st.sampled_from(["", "winter", "summer", "UTC", "Europe/Paris", "id-1"])
    elif key in ("winter", "summer"):
        plausible = PROFILE
    elif key == "aircon_scenes":
        plausible = SCENES
    else:
        plausible = st.lists(WINDOW | JSON, max_size=3)
    return plausible | JSON


OPTIONS: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {}, optional={key: _value_for(key) for key in DEFAULT_OPTIONS}
)
