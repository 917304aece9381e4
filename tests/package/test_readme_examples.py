"""The YAML examples of README.md and README.fr.md are valid, and name what really exists.

Each ```yaml block of a README is an automation (it has ``triggers``), an action call (a
top-level ``action``), a ``logger:`` configuration or a dashboard (``views``, the
thermostat's example; the end-to-end tests show it in a browser). The automations go through Home
Assistant's own automation config validation, then are loaded by the automation integration;
the entity ids, states and event data they use are checked against the integration set up
(on the simulator) in the README's language, since entity ids are made from the names in the
language Home Assistant had when the entities were created.
"""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
import re
from typing import Any

from homeassistant.components.automation.config import async_validate_config_item
from homeassistant.components.logger import CONFIG_SCHEMA as LOGGER_SCHEMA
from homeassistant.const import ATTR_ENTITY_ID, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.script import async_validate_actions_config
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)
import yaml

from custom_components.switchbot_automation.const import DOMAIN
from custom_components.switchbot_automation.engine.actions import SentAction

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = {"README.md": "en", "README.fr.md": "fr"}
YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)
ENTITY_ID = re.compile(r"\b(?:sensor|binary_sensor|switch|select|button)\.[a-z0-9_]+\b")
EVENT_DATA = re.compile(r"trigger\.event\.data\.(\w+)")
EXAMPLE_COUNT = 5


def _blocks(readme: str) -> list[tuple[str, Any]]:
    """Return the (text, parsed) YAML blocks of a README."""
    text = (ROOT / readme).read_text(encoding="utf-8")
    return [(block, yaml.safe_load(block)) for block in YAML_BLOCK.findall(text)]


def _automations(readme: str) -> list[tuple[str, dict[str, Any]]]:
    return [(text, data) for text, data in _blocks(readme) if "triggers" in data]


def _examples() -> Iterator[Any]:
    for readme in LANGUAGES:
        for index, (_text, config) in enumerate(_automations(readme)):
            yield pytest.param(config, id=f"{readme}-{index + 1}")


def test_every_yaml_block_is_known() -> None:
    for readme in LANGUAGES:
        blocks = _blocks(readme)
        assert blocks, readme
        for _text, data in blocks:
            assert isinstance(data, dict), readme
            assert {"triggers", "action", "logger", "views"} & set(data), f"{readme}: {data}"
        assert len(_automations(readme)) == EXAMPLE_COUNT, readme


def _skeleton(config: dict[str, Any]) -> tuple[Any, ...]:
    """What an example does, whatever the language of its texts and entity ids."""
    return (
        [trigger["trigger"] for trigger in config["triggers"]],
        [trigger.get("event_type") for trigger in config["triggers"]],
        [condition["condition"] for condition in config.get("conditions", [])],
        [action["action"] for action in config["actions"]],
        config.get("mode"),
    )


def test_the_french_examples_are_the_english_ones() -> None:
    english = [_skeleton(config) for _text, config in _automations("README.md")]
    french = [_skeleton(config) for _text, config in _automations("README.fr.md")]
    assert english == french


@pytest.mark.parametrize("config", list(_examples()))
async def test_example_is_a_valid_automation(hass: HomeAssistant, config: dict[str, Any]) -> None:
    validated = await async_validate_config_item(hass, "readme", config)
    assert validated is not None
    status = getattr(validated, "validation_status", None)
    assert status is None or status.value == "ok", getattr(validated, "validation_error", "")


@pytest.mark.parametrize("readme", list(LANGUAGES))
async def test_examples_load_as_automations(hass: HomeAssistant, readme: str) -> None:
    configs = [config for _text, config in _automations(readme)]
    assert await async_setup_component(hass, "automation", {"automation": configs})
    await hass.async_block_till_done()
    states = hass.states.async_all("automation")
    assert len(states) == len(configs)
    assert all(state.state == STATE_ON for state in states), [s.as_dict() for s in states]


def dashboard(readme: str) -> dict[str, Any]:
    """Return the README's dashboard example (the thermostat's)."""
    found = [data for _text, data in _blocks(readme) if "views" in data]
    assert len(found) == 1, readme
    return found[0]


def _dashboard_entities(config: dict[str, Any]) -> list[str]:
    """The entity ids the cards of a dashboard show."""
    cards = [card for view in config["views"] for card in view["cards"]]
    return [card["entity"] for card in cards if "entity" in card] + [
        item["entity"] for card in cards for item in card.get("entities", [])
    ]


def test_the_french_dashboard_is_the_english_one() -> None:
    """The same cards, with the same entities and options; only their texts differ."""

    def cards(readme: str) -> list[Any]:
        config = dashboard(readme)
        return [
            {
                key: [{"entity": item["entity"]} for item in value] if key == "entities" else value
                for key, value in card.items()
                if key != "title"
            }
            for view in config["views"]
            for card in view["cards"]
        ]

    assert cards("README.fr.md") == cards("README.md")


@pytest.mark.parametrize("readme", list(LANGUAGES))
async def test_other_examples_are_valid(
    hass: HomeAssistant, setup_integration: MockConfigEntry, readme: str
) -> None:
    for _text, data in _blocks(readme):
        if "logger" in data:
            LOGGER_SCHEMA(data)
        elif "views" in data:
            cards = [card for view in data["views"] for card in view["cards"]]
            assert {card["type"] for card in cards} == {"thermostat", "history-graph"}
            for entity_id in _dashboard_entities(data):
                assert hass.states.get(entity_id) is not None, f"{readme}: no {entity_id}"
        elif "action" in data:
            actions = await async_validate_actions_config(hass, cv.SCRIPT_SCHEMA([data]))
            domain, service = actions[0]["action"].split(".")
            assert domain == DOMAIN
            assert hass.services.has_service(domain, service)


@pytest.fixture
async def integration_in(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, request: pytest.FixtureRequest
) -> MockConfigEntry:
    """The integration, set up in the language of the README the test is about.

    Polling is disabled (the entry's system option): no scheduled tick overwrites the states
    a test sets.
    """
    hass.config.language = LANGUAGES[request.node.callspec.params["readme"]]
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(mock_config_entry, pref_disable_polling=True)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry


@pytest.mark.parametrize("readme", list(LANGUAGES))
async def test_examples_use_what_the_integration_provides(
    hass: HomeAssistant, integration_in: MockConfigEntry, readme: str
) -> None:
    event_keys = set(
        SentAction("off", "turnOff", "default", None, "x", repeat=False).as_event_data()
    )
    for text, config in _automations(readme):
        for entity_id in ENTITY_ID.findall(text):
            assert hass.states.get(entity_id) is not None, f"{readme}: no {entity_id}"
        assert set(EVENT_DATA.findall(text)) <= event_keys, readme
        for trigger in config["triggers"]:
            if trigger["trigger"] == "event":
                assert trigger["event_type"] == f"{DOMAIN}_command"
            if trigger["trigger"] != "state":
                continue
            state = hass.states.get(trigger[ATTR_ENTITY_ID])
            assert state is not None
            options = state.attributes.get("options")
            wanted = trigger["to"] if isinstance(trigger["to"], list) else [trigger["to"]]
            allowed = options if options is not None else ["on", "off"]
            assert set(wanted) <= set(allowed), f"{readme}: {trigger}"


ACTIONS_CALLED = ("notify.notify", "logbook.log", "persistent_notification.create")


@pytest.mark.parametrize("readme", list(LANGUAGES))
async def test_examples_fire_and_render(
    hass: HomeAssistant, integration_in: MockConfigEntry, readme: str
) -> None:
    """Each example runs its action once when what it watches happens; its text renders."""
    calls = [async_mock_service(hass, *name.split(".")) for name in ACTIONS_CALLED]
    configs = [config for _text, config in _automations(readme)]
    assert await async_setup_component(hass, "automation", {"automation": configs})
    await hass.async_block_till_done()

    def made() -> list[Any]:
        return [call for recorded in calls for call in recorded]

    def last_call(counts: list[int]) -> Any:
        """The call made since the ``counts`` of each mocked action were taken."""
        grown = [
            recorded for recorded, count in zip(calls, counts, strict=True) if len(recorded) > count
        ]
        assert len(grown) == 1
        return grown[0][-1]

    for config in configs:
        before = len(made())
        counts = [len(recorded) for recorded in calls]
        trigger = config["triggers"][0]
        kind = trigger["trigger"]
        if kind == "numeric_state":
            hass.states.async_set(trigger[ATTR_ENTITY_ID], str(trigger["above"] - 1))
            await hass.async_block_till_done()
            hass.states.async_set(trigger[ATTR_ENTITY_ID], str(trigger["above"] + 500))
        elif kind == "event":
            sent = SentAction("on", "setAll", "21,5,3,on", None, "winter_on", repeat=False)
            data = {"config_entry_id": integration_in.entry_id, **sent.as_event_data()}
            hass.bus.async_fire(trigger["event_type"], {**data, "repeat": True})
            await hass.async_block_till_done()
            assert len(made()) == before, "an OFF repeat is left out"
            hass.bus.async_fire(trigger["event_type"], data)
        else:
            assert kind == "state"
            wanted = trigger["to"] if isinstance(trigger["to"], list) else [trigger["to"]]
            hass.states.async_set(trigger[ATTR_ENTITY_ID], trigger.get("from", "before"))
            await hass.async_block_till_done()
            hass.states.async_set(trigger[ATTR_ENTITY_ID], wanted[0])
            if "for" in trigger:
                await hass.async_block_till_done()
                assert len(made()) == before, "waits for the delay"
                delay = cv.positive_time_period(trigger["for"]) + timedelta(seconds=1)
                async_fire_time_changed(hass, dt_util.utcnow() + delay)
        await hass.async_block_till_done()
        assert len(made()) == before + 1, config["alias"]
        data = last_call(counts).data
        message = str(data["message"])
        assert message.strip(), config["alias"]
        assert "None" not in message, message
        assert "{" not in message, message
        if kind == "event":
            assert "setAll" in message, message
            assert "21,5,3,on" in message, message
            assert "winter_on" in message, message
