"""The actions (``services.yaml``, their texts and icons) and the entities' icons."""

import re

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import EntityDescription
from homeassistant.setup import async_setup_component

from custom_components.switchbot_automation.const import DOMAIN

from .support import EN, ICONS, SERVICES_YAML, entity_descriptions


async def test_every_service_is_described_and_translated(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    registered = set(hass.services.async_services().get(DOMAIN, {}))
    assert set(SERVICES_YAML) == registered == set(EN["services"]) == set(ICONS["services"])
    for service, description in SERVICES_YAML.items():
        texts = EN["services"][service]
        assert texts["name"]
        assert texts["description"]
        fields = description.get("fields", {})
        assert set(texts.get("fields", {})) == set(fields), service
        for field, spec in fields.items():
            assert "selector" in spec, f"{service}.{field}"
            assert texts["fields"][field]["name"], f"{service}.{field}"
            assert texts["fields"][field]["description"], f"{service}.{field}"
        assert re.fullmatch(r"mdi:[a-z0-9-]+", ICONS["services"][service]["service"])


def _states(description: EntityDescription, platform: str) -> set[str]:
    """The states an entity can have that translations and icons may name."""
    options = getattr(description, "options", None)
    if options:
        return {str(option) for option in options}
    if platform in {"binary_sensor", "switch"}:
        return {"on", "off"}
    return set()


def test_every_entity_has_an_icon() -> None:
    icon = re.compile(r"mdi:[a-z0-9-]+")
    used: dict[str, set[str]] = {}
    for platform, items in entity_descriptions().items():
        for description in items:
            key = str(description.translation_key)
            entry = ICONS["entity"][platform][key]
            assert icon.fullmatch(entry["default"]), key
            states = entry.get("state", {})
            assert set(states) <= _states(description, platform), key
            assert all(icon.fullmatch(value) for value in states.values()), key
            used.setdefault(platform, set()).add(key)
    assert {platform: set(keys) for platform, keys in ICONS["entity"].items()} == used


def test_every_entity_and_service_has_an_icon() -> None:
    for platform, items in entity_descriptions().items():
        for description in items:
            key = str(description.key)
            assert ICONS["entity"][platform][key]["default"].startswith("mdi:"), key
    assert set(ICONS["services"]) == {"run_tick", "quick_off", "forget_assumed_power"}
