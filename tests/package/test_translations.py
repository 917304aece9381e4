"""Translations for every name, state, error and message the code can show, in English
and French.

The keys the code uses are derived from the code itself (entity descriptions of the
platform modules, an AST scan of the exceptions and repair issues), so a new entity or
exception without a translation fails here, and so does a translation left over. The
flows' texts are checked in ``test_flow_translations.py``.
"""

import ast
from collections.abc import Iterator, Mapping
import importlib
import re
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component
import pytest

from custom_components.switchbot_automation.const import DOMAIN
from custom_components.switchbot_automation.engine.automation_state import AutomationState
from custom_components.switchbot_automation.engine.outcomes import Outcome
from custom_components.switchbot_automation.engine.polling import PollingMode

from .support import (
    EN,
    FR,
    INTEGRATION,
    PACKAGE,
    PLACEHOLDER,
    call_name,
    entity_descriptions,
    keyword,
)

TRANSLATION_KEY = re.compile(r"[a-z0-9_-]+")


def _strings(data: Mapping[str, Any], path: str = "") -> Iterator[tuple[str, Any]]:
    """Yield ``(dotted path, leaf)`` of every leaf of a translation file."""
    for key, value in data.items():
        if isinstance(value, Mapping):
            yield from _strings(value, f"{path}{key}.")
        else:
            yield f"{path}{key}", value


def _paths(data: Mapping[str, Any], path: str = "") -> Iterator[str]:
    for key, value in data.items():
        yield f"{path}{key}"
        if isinstance(value, Mapping):
            yield from _paths(value, f"{path}{key}.")


def test_french_has_exactly_the_english_keys() -> None:
    en, fr = set(_paths(EN)), set(_paths(FR))
    assert en == fr, f"only in en: {sorted(en - fr)}; only in fr: {sorted(fr - en)}"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_translation_strings(language: str) -> None:
    data = EN if language == "en" else FR
    english = dict(_strings(EN))
    for path, text in _strings(data):
        assert isinstance(text, str), path
        assert text.strip(), f"{path} is empty"
        assert text == text.strip(), f"{path} has blanks around it"
        assert "[%key:" not in text, f"{path}: no references in a custom integration"
        assert not re.search(r"'\{\w+\}'", text), f"{path}: a placeholder in single quotes"
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(english[path])), path
    for path in _paths(data):
        key = path.rsplit(".", 1)[-1]
        assert TRANSLATION_KEY.fullmatch(key), f"{path}: keys are lower case"


async def test_home_assistant_reads_the_translations(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    for language, data in (("en", EN), ("fr", FR)):
        texts = await async_get_translations(hass, language, "entity", [DOMAIN])
        key = f"component.{DOMAIN}.entity.sensor.api_calls_today.name"
        assert texts[key] == data["entity"]["sensor"]["api_calls_today"]["name"]


def test_every_entity_is_translated() -> None:
    descriptions = entity_descriptions()
    assert sum(len(items) for items in descriptions.values()) == 16
    used: dict[str, set[str]] = {}
    for platform, items in descriptions.items():
        for description in items:
            key = description.translation_key
            assert key == description.key, "translation key = entity key (the contract)"
            entry = EN["entity"][platform][key]
            assert entry["name"]
            options = getattr(description, "options", None)
            if options:
                assert set(entry["state"]) == {str(option) for option in options}, key
            attributes_fn = getattr(description, "attributes_fn", None)
            if attributes_fn is not None:
                attributes = set(attributes_fn(AutomationState()))
                assert set(entry.get("state_attributes", {})) == attributes, key
            used.setdefault(platform, set()).add(key)
    translated = {platform: set(keys) for platform, keys in EN["entity"].items()}
    assert translated == used, "translations of entities that do not exist"


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(INTEGRATION.glob("*.py")):
        yield path.name, ast.parse(path.read_text(encoding="utf-8"))


def _dict_keys(node: ast.expr | None) -> set[str] | None:
    if not isinstance(node, ast.Dict):
        return None
    return {key.value for key in node.keys if isinstance(key, ast.Constant)}


EXCEPTIONS = {
    "HomeAssistantError",
    "ServiceValidationError",
    "UpdateFailed",
    "ConfigEntryAuthFailed",
    "ConfigEntryNotReady",
    "ConfigEntryError",
}


def test_every_exception_is_translated() -> None:
    used: set[str] = set()
    dynamic: set[tuple[str, str]] = set()
    for name, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or call_name(node) not in EXCEPTIONS:
                continue
            key = keyword(node, "translation_key")
            assert key is not None, f"{name}:{node.lineno} raises without a translation key"
            domain = keyword(node, "translation_domain")
            assert isinstance(domain, ast.Name), f"{name}:{node.lineno}"
            assert domain.id == "DOMAIN", f"{name}:{node.lineno}"
            if not isinstance(key, ast.Constant):
                dynamic.add((name, ast.unparse(key)))
                continue
            used.add(key.value)
            message = EN["exceptions"][key.value]["message"]
            placeholders = set(PLACEHOLDER.findall(message))
            provided = _dict_keys(keyword(node, "translation_placeholders")) or set()
            assert placeholders <= provided, f"{name}:{node.lineno} {key.value}"
    # The one computed key: the failed outcomes of a manual tick (helpers.raise_on_failure).
    assert dynamic == {("helpers.py", "key")}
    helpers = importlib.import_module(f"{PACKAGE}.helpers")
    used |= set(helpers._FAILED_OUTCOMES)
    assert set(EN["exceptions"]) == used


def test_every_repair_issue_is_translated() -> None:
    issues = importlib.import_module(f"{PACKAGE}.issues")
    kinds = {value for name, value in vars(issues).items() if name.startswith("ISSUE_")}
    assert set(EN["issues"]) == kinds
    raised: set[str] = set()
    for name, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or call_name(node) != "async_set_issue":
                continue
            kind_node = node.args[2]
            assert isinstance(kind_node, ast.Name), f"{name}:{node.lineno}"
            kind = getattr(issues, kind_node.id)
            raised.add(kind)
            provided = _dict_keys(keyword(node, "placeholders"))
            assert provided is not None, f"{name}:{node.lineno}: placeholders as a dict literal"
            texts = EN["issues"][kind]
            wanted = set(PLACEHOLDER.findall(texts["title"] + texts["description"]))
            assert wanted <= provided | {"entry_title"}, kind
    assert raised == kinds


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_name_and_state_is_translated(language: str) -> None:
    """Every entity's name, and the states of the polling modes, outcomes and seasons."""
    entity = (EN if language == "en" else FR)["entity"]
    for platform, items in entity_descriptions().items():
        for description in items:
            assert entity[platform][str(description.key)]["name"], (platform, description.key)
    assert set(entity["sensor"]["polling_mode"]["state"]) == set(PollingMode)
    assert set(entity["sensor"]["last_outcome"]["state"]) == set(Outcome)
    assert set(entity["select"]["season"]["state"]) == {"winter", "summer"}


def test_translations_agree_between_languages() -> None:
    """The placeholders of every entity, exception, issue and service text, in both."""

    def placeholders(node: object, path: str = "") -> set[tuple[str, str]]:
        if isinstance(node, dict):
            return {
                item for key, value in node.items() for item in placeholders(value, f"{path}/{key}")
            }
        return {(path, name) for name in re.findall(r"{(\w+)}", str(node))} | {(path, "")}

    for section in ("entity", "exceptions", "issues", "services"):
        assert placeholders(EN[section]) == placeholders(FR[section]), section
