"""Pytest plugin: fixtures and helpers of the config flow and options flow tests.

Enable with ``"tests.flow_fixtures"`` in ``pytest_plugins`` of ``tests/conftest.py`` (or
``-p tests.flow_fixtures``). It builds on ``tests.simulator_fixtures``: the flows talk to the
SwitchBot Cloud simulator over real HTTP, through Home Assistant's shared web session.

Home Assistant, its test plugin and the integration are imported inside the fixtures, not
at the top: a ``-p`` plugin loads before Home Assistant's test plugin (which must be first to
import Home Assistant) and before pytest-cov starts measuring.
"""

from __future__ import annotations

from http import HTTPStatus
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest.mock import AsyncMock, patch

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

    from aiohttp.test_utils import TestClient
    from homeassistant.config_entries import ConfigFlowResult
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from switchbot_sim import SwitchBotSimulator

DOMAIN = "switchbot_automation"
EXPIRED_TOKEN = "expired-token"  # noqa: S105 - a test value
TRANSLATIONS = Path(__file__).parents[1] / "custom_components" / DOMAIN / "translations"
FLOW_URL = "/api/config/config_entries/flow"


def suggested(result: ConfigFlowResult, field: str) -> Any:
    """Return the value a form shows in ``field`` (its suggested value)."""
    for key in result["data_schema"].schema:
        if key == field:
            return (key.description or {}).get("suggested_value")
    raise KeyError(field)


def select_labels(result: ConfigFlowResult, field: str) -> dict[str, str]:
    """Return the options of a select field, value to label (a plain option is both)."""
    for key, selector in result["data_schema"].schema.items():
        if key == field:
            options = [
                {"value": option, "label": option} if isinstance(option, str) else option
                for option in selector.config["options"]
            ]
            return {option["value"]: option["label"] for option in options}
    raise KeyError(field)


async def post_json(client: TestClient, url: str, payload: dict[str, Any]) -> dict[str, Any]:
    """POST ``payload`` as the frontend does; return the flow step it answers."""
    response = await client.post(url, json=payload)
    assert response.status == HTTPStatus.OK, await response.text()
    step: dict[str, Any] = await response.json()
    return step


def form_suggestions(step: dict[str, Any]) -> dict[str, Any]:
    """Return what a user who changes nothing submits: the values the form shows.

    An optional field left empty (no suggested value) is not submitted.
    """
    return {
        field["name"]: form_suggestions({"data_schema": field["schema"]})
        if field.get("type") == "expandable"
        else field["description"]["suggested_value"]
        for field in step["data_schema"]
        if field.get("type") == "expandable" or "description" in field
    }


def assert_labelled(flow: str, step: dict[str, Any]) -> None:
    """Check the English translations name the step and every field or choice it serves."""
    texts = json.loads((TRANSLATIONS / "en.json").read_text(encoding="utf-8"))[flow]["step"]
    step_texts = texts[step["step_id"]]
    assert step_texts["title"]
    if step["type"] == "menu":
        for option in step["menu_options"]:
            assert step_texts["menu_options"][option]
        return
    for field in step["data_schema"]:
        if field.get("type") == "expandable":
            section_texts = step_texts["sections"][field["name"]]
            assert section_texts["name"]
            for inner in field["schema"]:
                assert section_texts["data"][inner["name"]]
                assert section_texts["data_description"][inner["name"]]
        else:
            assert step_texts["data"][field["name"]]
            assert step_texts["data_description"][field["name"]]


@pytest.fixture
def mock_setup_entry() -> Generator[AsyncMock]:
    """Replace the integration's set-up, so a flow test checks the flow alone.

    ``create=True`` lets the flow tests run before ``__init__.py`` defines it.
    """
    with patch(
        "custom_components.switchbot_automation.async_setup_entry",
        return_value=True,
        create=True,
    ) as mock:
        yield mock


@pytest.fixture
def cloud(simulator: SwitchBotSimulator, monkeypatch: pytest.MonkeyPatch) -> SwitchBotSimulator:
    """The simulator, answering at the default API URL.

    An entry set up in the UI has no ``api_url``, as for a real user, so its requests go to
    the default URL: that is the address pointed at the simulator here.
    """
    from custom_components.switchbot_automation import account as cloud_session

    monkeypatch.setattr(cloud_session, "DEFAULT_API_URL", simulator.url)
    return simulator


def stored_options(**changes: Any) -> dict[str, Any]:
    """Return the options of an entry set up with the simulator's devices, then ``changes``."""
    from custom_components.switchbot_automation.engine.settings import default_options
    from switchbot_sim import AC_REMOTE_ID, METER_ID

    return {
        **default_options(),
        "meter_device_id": METER_ID,
        "aircon_device_id": AC_REMOTE_ID,
        **changes,
    }


@pytest.fixture
def add_entry(hass: HomeAssistant, simulator: SwitchBotSimulator) -> Callable[..., MockConfigEntry]:
    """Return a function adding an entry of the simulator's account to Home Assistant.

    The entry stores the simulator's URL as ``api_url``, and by default its token; pass
    ``token=EXPIRED_TOKEN`` for an entry whose credentials the cloud refuses.
    """
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.switchbot_automation.account import account_unique_id

    def add(*, token: str | None = None, options: dict[str, Any] | None = None) -> MockConfigEntry:
        token = simulator.token if token is None else token
        entry = MockConfigEntry(
            domain=DOMAIN,
            title="Living Room AC",
            unique_id=account_unique_id(token),
            data={"token": token, "secret": simulator.secret, "api_url": simulator.url},
            options=stored_options() if options is None else options,
        )
        entry.add_to_hass(hass)
        return entry

    return add
