"""Facts README.md and README.fr.md state: every option, entity, action, event, polling
mode and outcome is named, and the polling picture and its figures are current.
"""

from collections.abc import Mapping
import importlib
from typing import Any

import pytest

from custom_components.switchbot_automation.const import DOMAIN
from custom_components.switchbot_automation.coordinator import (
    EVENT_COMMAND,
    TICK_FAILED_MESSAGE,
)
from custom_components.switchbot_automation.engine.outcomes import Outcome
from custom_components.switchbot_automation.engine.polling import PollingMode
from custom_components.switchbot_automation.engine.settings import DEFAULT_OPTIONS
from scripts import draw_polling_day

from .support import PACKAGE, READMES, ROOT, SERVICES_YAML, entity_descriptions


def _option_keys(value: Any) -> set[str]:
    """Every key of the options, nested objects and objects in lists included."""
    keys: set[str] = set()
    if isinstance(value, Mapping):
        for key, item in value.items():
            keys.add(key)
            keys |= _option_keys(item)
    elif isinstance(value, list):
        for item in value:
            keys |= _option_keys(item)
    return keys


def _missing(readme: str, names: set[str]) -> list[str]:
    return sorted(name for name in names if f"`{name}`" not in readme)


@pytest.mark.parametrize("readme_name", READMES)
def test_readme_documents_every_option(readme_name: str) -> None:
    readme = (ROOT / readme_name).read_text(encoding="utf-8")
    missing = _missing(readme, _option_keys(DEFAULT_OPTIONS))
    assert not missing, f"{readme_name} does not document the options {missing}"


@pytest.mark.parametrize("readme_name", READMES)
def test_readme_documents_the_public_surface(readme_name: str) -> None:
    readme = (ROOT / readme_name).read_text(encoding="utf-8")
    entities = {
        str(description.key) for items in entity_descriptions().values() for description in items
    }
    missing = _missing(readme, entities)
    assert not missing, f"{readme_name}: entities not documented: {missing}"
    services = {f"{DOMAIN}.{service}" for service in SERVICES_YAML}
    missing = _missing(readme, services)
    assert not missing, f"{readme_name}: services not documented: {missing}"
    actions = importlib.import_module(f"{PACKAGE}.engine.actions")
    sample = actions.SentAction("off", "turnOff", "default", None, "quick_off", repeat=False)
    event_keys = {"config_entry_id", *sample.as_event_data()}
    missing = _missing(readme, {EVENT_COMMAND, *event_keys})
    assert not missing, f"{readme_name}: event not documented: {missing}"
    missing = _missing(readme, set(PollingMode))
    assert not missing, f"{readme_name}: polling modes not documented: {missing}"
    missing = _missing(readme, set(Outcome))
    assert not missing, f"{readme_name}: outcomes not documented: {missing}"
    assert TICK_FAILED_MESSAGE in readme
    assert "Adaptive polling reschedule: " in readme
    assert "custom_components.switchbot_automation: debug" in readme


def test_readme_includes_try_it() -> None:
    """The README's "Try it in two minutes" section is docs/try-it.md."""
    try_it = ROOT / "docs" / "try-it.md"
    if not try_it.exists():
        pytest.skip("docs/try-it.md was merged into the README")
    assert try_it.read_text(encoding="utf-8").strip() in (ROOT / "README.md").read_text(
        encoding="utf-8"
    )


def test_polling_picture_is_current() -> None:
    """docs/polling-day.svg is what scripts/draw_polling_day draws from the engine today."""
    svg = (ROOT / "docs" / "polling-day.svg").read_text(encoding="utf-8")
    assert svg == draw_polling_day.draw(), "stale: run .venv/bin/python scripts/draw_polling_day"
    # The READMEs quote the ticks and calls of the drawn days, and of a tick every 15 s.
    numbers = [number for pair in draw_polling_day.counts().values() for number in pair]
    numbers.append(draw_polling_day.fixed_ticks(draw_polling_day.SETTINGS))
    for readme, separator in (("README.md", ","), ("README.fr.md", " ")):
        text = (ROOT / readme).read_text(encoding="utf-8")
        assert "(docs/polling-day.svg)" in text
        for number in numbers:
            assert f"{number:,}".replace(",", separator) in text, f"{readme}: {number}"
