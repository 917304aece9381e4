"""Pytest plugin: fixtures and helpers of the tests of the config, options and room flows.

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
    """Check the English translations name the step and every field or choice it serves.

    ``flow`` is the section of the flow's texts, dotted: ``config``, ``options``,
    ``config_subentries.room``.
    """
    texts = json.loads((TRANSLATIONS / "en.json").read_text(encoding="utf-8"))
    for part in f"{flow}.step".split("."):
        texts = texts[part]
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


ROOM_ID = "living-room"
"""The subentry id of the room ``add_entry`` gives an entry by default."""
ROOM_TITLE = "Living Room"


def room_data(**changes: Any) -> dict[str, Any]:
    """Return the options of a room set up with the simulator's devices, then ``changes``."""
    from custom_components.switchbot_automation.engine.settings import (
        default_options,
        room_options,
    )
    from switchbot_sim import AC_REMOTE_ID, METER_ID

    return {
        **room_options(default_options()),
        "meter_device_id": METER_ID,
        "aircon_device_id": AC_REMOTE_ID,
        **changes,
    }


def account_data(**changes: Any) -> dict[str, Any]:
    """Return the account's options (an entry's options) as set up, then ``changes``."""
    from custom_components.switchbot_automation.engine.settings import (
        account_options,
        default_options,
    )

    return {**account_options(default_options()), **changes}


def room(
    data: dict[str, Any] | None = None,
    *,
    title: str = ROOM_TITLE,
    subentry_id: str = ROOM_ID,
) -> Any:
    """Return a room subentry (``ConfigSubentryData``) of ``data``, by default ``room_data()``.

    Its unique id is its air conditioner, as the room flow stores it.
    """
    from homeassistant.config_entries import ConfigSubentryDataWithId

    data = room_data() if data is None else data
    return ConfigSubentryDataWithId(
        data=data,
        subentry_type="room",
        title=title,
        unique_id=data.get("aircon_device_id") or None,
        subentry_id=subentry_id,
    )


BEDROOM_ID = "bedroom"
BEDROOM_METER = "BEDROOM-METER"
BEDROOM_AC = "BEDROOM-AC"


def add_bedroom_devices(simulator: SwitchBotSimulator) -> None:
    """Give the simulator's account a second meter and a second air conditioner."""
    from switchbot_sim import HUB_ID, VirtualDevice, VirtualRemote

    simulator.account.add_device(VirtualDevice(BEDROOM_METER, "Bedroom", "MeterPlus", HUB_ID))
    simulator.account.add_remote(VirtualRemote(BEDROOM_AC, "Bedroom AC", "Air Conditioner"))


def bedroom_data(**changes: Any) -> dict[str, Any]:
    """Return the options of a second room, driving the devices ``add_bedroom_devices`` adds."""
    return room_data(meter_device_id=BEDROOM_METER, aircon_device_id=BEDROOM_AC, **changes)


def bedroom(**changes: Any) -> Any:
    """Return a second room (``BEDROOM_ID``) of ``bedroom_data(**changes)``."""
    return room(bedroom_data(**changes), title="Bedroom", subentry_id=BEDROOM_ID)


@pytest.fixture
def add_entry(hass: HomeAssistant, simulator: SwitchBotSimulator) -> Callable[..., MockConfigEntry]:
    """Return a function adding an entry of the simulator's account to Home Assistant.

    The entry (version 2) stores the simulator's URL as ``api_url``, and by default its token
    (pass ``token=EXPIRED_TOKEN`` for an entry whose credentials the cloud refuses), the
    account's default options and one room (``ROOM_ID``) driving the simulator's devices.
    """
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.switchbot_automation.account import account_unique_id

    def add(
        *,
        token: str | None = None,
        options: dict[str, Any] | None = None,
        rooms: list[Any] | None = None,
    ) -> MockConfigEntry:
        token = simulator.token if token is None else token
        entry = MockConfigEntry(
            domain=DOMAIN,
            version=2,
            title="SwitchBot account",
            unique_id=account_unique_id(token),
            data={"token": token, "secret": simulator.secret, "api_url": simulator.url},
            options=account_data() if options is None else options,
            subentries_data=[room()] if rooms is None else rooms,
        )
        entry.add_to_hass(hass)
        return entry

    return add
